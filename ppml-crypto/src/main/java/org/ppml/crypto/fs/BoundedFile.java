package org.ppml.crypto.fs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

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
   * @throws IOException naming the file when it cannot be read or holds more than {@code max} bytes
   */
  public static byte[] read(Path file, int max) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] b = in.readNBytes(max + 1);
      if (b.length > max) {
        throw new IOException(file + " holds more than " + max + " bytes");
      }
      return b;
    }
  }
}
