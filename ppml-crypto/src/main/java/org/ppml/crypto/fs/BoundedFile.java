package org.ppml.crypto.fs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a small file (a token, a key, a PEM, a configfs attribute) whole, but never more than a
 * bound: the path comes from configuration, and a wrong one (a log, a device such as {@code
 * /dev/zero}) must end in a clear error, not a full heap. The bound is checked on what is read, not
 * on {@code Files.size}, which a device or a growing file does not report truthfully.
 */
public final class BoundedFile {
  private BoundedFile() {}

  /**
   * The file's bytes.
   *
   * @throws FileTooLargeException when it holds more than {@code max} bytes; what was read is
   *     zeroed first, since the file may be a key
   * @throws IOException naming the file when it cannot be read
   */
  public static byte[] read(Path file, int max) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] b = in.readNBytes(max + 1);
      if (b.length > max) {
        Arrays.fill(b, (byte) 0);
        throw new FileTooLargeException(file, max);
      }
      return b;
    }
  }
}
