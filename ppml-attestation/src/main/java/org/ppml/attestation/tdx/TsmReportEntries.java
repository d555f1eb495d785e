package org.ppml.attestation.tdx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * How configfs-tsm report entries come and go. On configfs the kernel creates the attribute files
 * ({@code inblob}, {@code outblob}, {@code provider}, {@code generation}) on {@code mkdir} and
 * drops them on {@code rmdir}; a plain directory cannot do that, so tests substitute an
 * implementation that plays the kernel's part.
 */
public interface TsmReportEntries {
  /**
   * Creates a new entry under {@code reportRoot} that no one else uses.
   *
   * @return the entry directory
   */
  Path create(Path reportRoot) throws IOException;

  /** Removes an entry made by {@link #create}. */
  void remove(Path entry) throws IOException;

  /** The real configfs: {@code mkdir} of a random name, {@code rmdir}. */
  static TsmReportEntries configfs() {
    SecureRandom random = new SecureRandom();
    return new TsmReportEntries() {
      @Override
      public Path create(Path reportRoot) throws IOException {
        byte[] id = new byte[8];
        random.nextBytes(id);
        // A random name: entries are shared kernel state, and a guessable one could be
        // pre-created by another process to feed us its outblob.
        return Files.createDirectory(reportRoot.resolve("ppml-" + HexFormat.of().formatHex(id)));
      }

      @Override
      public void remove(Path entry) throws IOException {
        Files.delete(entry);
      }
    };
  }
}
