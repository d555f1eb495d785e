package org.ppml.cli.occlum;

import picocli.CommandLine.Command;

/**
 * {@code ppml occlum}: Occlum enclave configuration and signing; it only groups the subcommands.
 */
@Command(
    name = "occlum",
    mixinStandardHelpOptions = true,
    description = "Occlum: generate Occlum.json, sign with the enclave key kept offline.",
    subcommands = {
      OcclumConfigCommand.class,
      OcclumSignToolScriptCommand.class,
      OcclumSignToolCommand.class
    })
public final class OcclumCommand {}
