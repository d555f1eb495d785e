package org.ppml.cli.gramine;

import picocli.CommandLine.Command;

/** {@code ppml gramine}: Gramine manifests and signatures for Spark enclaves. */
@Command(
    name = "gramine",
    mixinStandardHelpOptions = true,
    description =
        "Gramine v1.9: manifests for a Spark JVM, and signing them as gramine-sgx-sign does.",
    subcommands = {GramineManifestCommand.class, GramineSignCommand.class})
public final class GramineCommand {}
