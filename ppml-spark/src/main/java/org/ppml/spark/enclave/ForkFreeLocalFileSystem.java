package org.ppml.spark.enclave;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsAction;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system ({@code file:}) that sets permissions through {@code java.nio} instead
 * of running {@code chmod}. Without Hadoop's native library, {@link RawLocalFileSystem} starts a
 * {@code chmod} process for every file and directory Spark's output committer creates; inside an
 * enclave that is a fork, refused by the manifest, and the write fails.
 *
 * <p>Use with {@code spark.hadoop.fs.file.impl=org.ppml.spark.enclave.ForkFreeLocalFileSystem}.
 * Checksums ({@code .crc} files) behave as in {@link LocalFileSystem}.
 */
public final class ForkFreeLocalFileSystem extends LocalFileSystem {

  /** The checksummed file system over {@link Raw}. */
  public ForkFreeLocalFileSystem() {
    super(new Raw());
  }

  /** The raw local file system with {@code chmod} and {@code chown} done in process. */
  public static final class Raw extends RawLocalFileSystem {

    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
      Files.setPosixFilePermissions(pathToFile(p).toPath(), posix(permission));
    }

    @Override
    public void setOwner(Path p, String username, String groupname) throws IOException {
      // Ownership inside an enclave is whatever the host gives the one user it runs as; Spark
      // only calls this with the current user. Refuse anything else rather than pretend.
      java.nio.file.Path path = pathToFile(p).toPath();
      if (username != null
          && !username.equals(Files.getOwner(path).getName())
          && !username.equals(System.getProperty("user.name"))) {
        throw new IOException("cannot change the owner of " + p + " inside an enclave");
      }
    }
  }

  static Set<PosixFilePermission> posix(FsPermission permission) {
    Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
    add(
        s,
        permission.getUserAction(),
        PosixFilePermission.OWNER_READ,
        PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.OWNER_EXECUTE);
    add(
        s,
        permission.getGroupAction(),
        PosixFilePermission.GROUP_READ,
        PosixFilePermission.GROUP_WRITE,
        PosixFilePermission.GROUP_EXECUTE);
    add(
        s,
        permission.getOtherAction(),
        PosixFilePermission.OTHERS_READ,
        PosixFilePermission.OTHERS_WRITE,
        PosixFilePermission.OTHERS_EXECUTE);
    return s;
  }

  private static void add(
      Set<PosixFilePermission> s,
      FsAction a,
      PosixFilePermission r,
      PosixFilePermission w,
      PosixFilePermission x) {
    if (a.implies(FsAction.READ)) {
      s.add(r);
    }
    if (a.implies(FsAction.WRITE)) {
      s.add(w);
    }
    if (a.implies(FsAction.EXECUTE)) {
      s.add(x);
    }
  }
}
