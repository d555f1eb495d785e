package org.ppml.cli.enclave;

import picocli.CommandLine.Command;

/** {@code ppml enclave}: enclave keys, SIGSTRUCTs and measurements, independent of the LibOS. */
@Command(
    name = "enclave",
    mixinStandardHelpOptions = true,
    description =
        "Enclave signing keys, SIGSTRUCTs (direct and two-step signing) and MRENCLAVE measurement.",
    subcommands = {
      KeygenCommand.class,
      ShowSigStructCommand.class,
      SignCommand.class,
      GenDataCommand.class,
      CatSigCommand.class,
      MeasureCommand.class
    })
public final class EnclaveCommand {}
