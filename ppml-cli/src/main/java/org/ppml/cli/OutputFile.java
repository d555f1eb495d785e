package org.ppml.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.ppml.crypto.fs.AtomicFile;

/**
 * Where commands write their output files: always atomically, so a reader (or a build that fails
 * half way) never sees a partial SIGSTRUCT, quote or manifest.
 */
public final class OutputFile {
  /** Artefacts that are public by nature (signatures, manifests, quotes): 0644. */
  private static final Set<PosixFilePermission> PUBLIC =
      EnumSet.of(
          PosixFilePermission.OWNER_READ,
          PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.OTHERS_READ);

  private OutputFile() {}

  /** Atomically replaces {@code target} with {@code bytes}, mode 0644. */
  public static void write(Path target, byte[] bytes) throws IOException {
    AtomicFile.write(target, PUBLIC, out -> out.write(bytes));
  }

  /**
   * Writes a secret atomically with mode 0600. An existing file is replaced only with {@code
   * replace}: overwriting a private key by mistake cannot be undone.
   */
  public static void writeSecret(Path target, byte[] bytes, boolean replace) throws IOException {
    if (!replace && Files.exists(target)) {
      throw new FileAlreadyExistsException(target.toString());
    }
    AtomicFile.writeSecret(target, bytes);
  }
}
