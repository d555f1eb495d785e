package org.ppml.spark.fs;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * A rename on the local file system that refuses to replace its destination, atomically.
 *
 * <p>Hadoop's local file system has no such rename: {@code rename(2)} replaces, and {@code
 * FileContext.rename(…, Rename.NONE)} on {@code file:} checks for the destination and then renames,
 * so two writers committing one Delta or Iceberg version in the gap between the two both succeed
 * and one commit silently replaces the other. {@code link(2)} fails with {@code EEXIST} when the
 * name is taken, atomically, so linking the destination and then unlinking the source is a
 * non-replacing rename. The Hadoop checksum sidecar ({@code .<name>.crc}) follows the file.
 *
 * <p>Directories cannot be hard-linked, and some mounts do not support links; for those {@link
 * #tryRename} returns false and the caller falls back to the FileContext rename.
 */
final class LocalNoReplaceRename {
  private LocalNoReplaceRename() {}

  /** Whether {@code fs} is Hadoop's local file system, checksummed or raw. */
  static boolean appliesTo(FileSystem fs) {
    return fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem;
  }

  /**
   * Renames the file {@code src} to {@code dst} unless {@code dst} exists.
   *
   * @return false, having changed nothing, when this cannot be done with a link (a directory, or a
   *     mount without hard links)
   * @throws FileAlreadyExistsException when {@code dst} exists
   * @throws FileNotFoundException when {@code src} or {@code dst}'s parent does not exist
   */
  static boolean tryRename(Path src, Path dst) throws IOException {
    java.nio.file.Path from = Paths.get(src.toUri());
    java.nio.file.Path to = Paths.get(dst.toUri());
    if (Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try {
      Files.createLink(to, from);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new FileAlreadyExistsException("rename destination " + dst + " already exists");
    } catch (NoSuchFileException e) {
      FileNotFoundException f =
          new FileNotFoundException(
              "cannot rename " + src + " to " + dst + ": " + e.getFile() + " does not exist");
      f.initCause(e);
      throw f;
    } catch (UnsupportedOperationException | FileSystemException e) {
      return false;
    }
    Files.delete(from);
    java.nio.file.Path fromCrc = checksumFile(from);
    if (Files.exists(fromCrc, LinkOption.NOFOLLOW_LINKS)) {
      // dst did not exist a moment ago, so a checksum file under its name is a stale leftover.
      Files.move(fromCrc, checksumFile(to), StandardCopyOption.REPLACE_EXISTING);
    } else {
      Files.deleteIfExists(checksumFile(to));
    }
    return true;
  }

  private static java.nio.file.Path checksumFile(java.nio.file.Path file) {
    return file.resolveSibling("." + file.getFileName() + ".crc");
  }
}
