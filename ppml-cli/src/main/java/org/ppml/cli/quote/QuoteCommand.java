package org.ppml.cli.quote;

import picocli.CommandLine.Command;

/** {@code ppml quote}: SGX and TDX DCAP quotes. */
@Command(
    name = "quote",
    mixinStandardHelpOptions = true,
    description = "Verify, show and simulate SGX/TDX DCAP quotes.",
    subcommands = {VerifyQuoteCommand.class, ShowQuoteCommand.class, SimulateQuoteCommand.class})
public final class QuoteCommand {}
