package org.ppml.crypto.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoundedFileTest {
  @TempDir Path dir;

  @Test
  void readsUpToTheBoundAndRefusesMore() throws Exception {
    Path f = dir.resolve("token");
    Files.write(f, new byte[] {1, 2, 3, 4});
    assertArrayEquals(new byte[] {1, 2, 3, 4}, BoundedFile.read(f, 4));
    FileTooLargeException e =
        assertThrows(FileTooLargeException.class, () -> BoundedFile.read(f, 3));
    assertEquals(3, e.max());
    assertTrue(
        e.getMessage().contains(f.toString()) && e.getMessage().contains("more than 3 bytes"),
        e.getMessage());
  }

  @Test
  void aDeviceThatNeverEndsIsCutAtTheBound() {
    Path zero = Path.of("/dev/zero");
    if (Files.isReadable(zero)) {
      assertThrows(FileTooLargeException.class, () -> BoundedFile.read(zero, 4096));
    }
  }
}
