package org.ppml.graphene;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Locates ../shared/testdata (docs/architecture.md: tests use the real vectors, never copies). */
public final class TestVectors {
  /**
   * @return the testdata directory
   */
  public static Path root() {
    String prop = System.getProperty("ppml.testdata");
    if (prop != null && Files.isDirectory(Paths.get(prop))) {
      return Paths.get(prop);
    }
    return Paths.get("../../shared/testdata");
  }

  /**
   * @return the bytes of a file under the testdata directory
   */
  public static byte[] read(String relative) throws IOException {
    return Files.readAllBytes(root().resolve(relative));
  }

  private TestVectors() {}
}
