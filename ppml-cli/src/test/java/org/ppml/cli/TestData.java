package org.ppml.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real vectors in ../shared/testdata (docs/architecture.md), never copies. */
final class TestData {
  private TestData() {}

  static Path root() {
    String prop = System.getProperty("ppml.testdata");
    if (prop != null && Files.isDirectory(Path.of(prop))) {
      return Path.of(prop);
    }
    return Path.of("../../shared/testdata");
  }

  /** A vector file by its path under the testdata directory. */
  static Path file(String relative) {
    return root().resolve(relative);
  }

  /** As a command-line argument. */
  static String arg(String relative) {
    return file(relative).toString();
  }
}
