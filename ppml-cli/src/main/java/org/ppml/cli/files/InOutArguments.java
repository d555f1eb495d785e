package org.ppml.cli.files;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code IN OUT [--force]}, shared by encrypt and decrypt. */
final class InOutArguments {
  @Option(names = "--force", description = "Replace OUT if it exists.")
  boolean force;

  @Parameters(index = "0", paramLabel = "IN", description = "A file or a directory tree.")
  Path in;

  @Parameters(
      index = "1",
      paramLabel = "OUT",
      description = "Created; must not exist unless --force.")
  Path out;
}
