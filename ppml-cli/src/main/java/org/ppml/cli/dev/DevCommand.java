package org.ppml.cli.dev;

import picocli.CommandLine.Command;

/** {@code ppml dev}: Stage 1 tooling that stands in for SGX hardware and Intel's services. */
@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    description = "Development (Stage 1) tooling: simulated SGX.",
    subcommands = {DevInitCommand.class})
public final class DevCommand {}
