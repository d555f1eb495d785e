package org.ppml.enclave.sgx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Locates ../shared/testdata (docs/architecture.md: tests use the real vectors, never copies). */
final class TestVectors {
  static Path root() {
    String prop = System.getProperty("ppml.testdata");
    if (prop != null && Files.isDirectory(Paths.get(prop))) {
      return Paths.get(prop);
    }
    return Paths.get("../../shared/testdata");
  }

  static byte[] read(String relative) throws IOException {
    return Files.readAllBytes(root().resolve(relative));
  }

  private TestVectors() {}
}
