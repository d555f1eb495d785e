package org.ppml.crypto.fs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Writes a file by writing a temporary sibling, forcing it to disk, and renaming it over the
 * target, then forcing the directory. A crash at any point leaves either the old file or the new
 * one; a failure leaves no temporary behind.
 *
 * <p>The temporary is created with its final permissions, so a secret is never readable by others
 * even for an instant.
 */
public final class AtomicFile {
  /** Owner read/write only, for key stores, key files and decrypted plaintext. */
  public static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  /** Writes the content of a file; may be called once per {@link #write}. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private AtomicFile() {}

  /** Atomically replaces {@code target} with {@code bytes}, mode 0600. */
  public static void writeSecret(Path target, byte[] bytes) throws IOException {
    write(target, OWNER_ONLY, out -> out.write(bytes));
  }

  /**
   * Atomically replaces {@code target} with what {@code content} writes.
   *
   * @param permissions POSIX permissions of the new file; ignored on non-POSIX file systems
   */
  public static void write(Path target, Set<PosixFilePermission> permissions, Content content)
      throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = createTemp(dir, target.getFileName().toString(), permissions);
    boolean done = false;
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
          OutputStream out = Channels.newOutputStream(channel)) {
        content.writeTo(out);
        out.flush();
        channel.force(true);
      }
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("file system of " + dir + " cannot rename atomically", e);
      }
      done = true;
      forceDirectory(dir);
    } finally {
      if (!done) {
        Files.deleteIfExists(temp);
      }
    }
  }

  private static Path createTemp(Path dir, String name, Set<PosixFilePermission> permissions)
      throws IOException {
    boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    FileAttribute<?>[] attributes =
        posix
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
            : new FileAttribute<?>[0];
    // A dot-prefixed name keeps the temporary out of directory listings that Spark and Hadoop scan.
    for (int attempt = 0; ; attempt++) {
      Path temp =
          dir.resolve(
              "." + name + "." + Long.toUnsignedString(System.nanoTime() ^ attempt, 36) + ".tmp");
      try {
        return Files.createFile(temp, attributes);
      } catch (FileAlreadyExistsException e) {
        if (attempt > 100) {
          throw e;
        }
      }
    }
  }

  /**
   * Makes a rename or unlink in {@code dir} durable; a no-op where directories cannot be opened.
   */
  public static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException ignored) {
      // Some platforms cannot open a directory; the rename itself is still atomic there.
    }
  }
}
