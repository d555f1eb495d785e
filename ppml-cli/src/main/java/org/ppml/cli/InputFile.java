package org.ppml.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a whole input file into memory with an upper bound, so a wrong argument (a disk image given
 * as a quote) fails with a clear error instead of exhausting the heap.
 */
public final class InputFile {
  private InputFile() {}

  /**
   * @param what what the file should hold, for the error message ("quote", "SIGSTRUCT")
   * @param maxBytes the largest such file can legitimately be
   */
  public static byte[] read(Path file, String what, long maxBytes) throws IOException {
    if (Files.isDirectory(file)) {
      throw new ErrorReporter.UsageError(file + " is a directory, expected a " + what + " file");
    }
    try (InputStream in = Files.newInputStream(file)) {
      // Read one byte past the bound rather than trusting the size: the file may be a pipe or grow.
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      if (bytes.length > maxBytes) {
        throw new ErrorReporter.UsageError(
            file + " is larger than a " + what + " can be (" + maxBytes + " bytes)");
      }
      return bytes;
    }
  }
}
