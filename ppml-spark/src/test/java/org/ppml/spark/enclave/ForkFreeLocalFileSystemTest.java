package org.ppml.spark.enclave;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Permissions through java.nio, as Hadoop would set them with chmod; reached the way Spark reaches
 * it, through {@code fs.file.impl}. (That no process starts is shown under Gramine, whose manifest
 * refuses them: GramineQuickstartTest's encrypted write.)
 */
class ForkFreeLocalFileSystemTest {

  @Test
  void setsPermissionsInProcess(@TempDir java.nio.file.Path dir) throws Exception {
    Configuration conf = new Configuration(false);
    conf.set("fs.file.impl", ForkFreeLocalFileSystem.class.getName());
    conf.setBoolean("fs.file.impl.disable.cache", true);
    conf.set("fs.permissions.umask-mode", "022");
    FileSystem fs = FileSystem.get(new Path(dir.toUri()).toUri(), conf);
    assertInstanceOf(ForkFreeLocalFileSystem.class, fs);

    Path sub = new Path(dir.toUri().toString(), "a/b");
    assertTrue(fs.mkdirs(sub, new FsPermission((short) 0750)));
    assertEquals(
        "rwxr-x---",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a/b"))));

    Path file = new Path(sub, "part-0");
    try (FSDataOutputStream out =
        fs.create(file, new FsPermission((short) 0640), false, 4096, (short) 1, 1 << 20, null)) {
      out.write(new byte[] {1, 2, 3});
    }
    assertEquals(
        "rw-r-----",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a/b/part-0"))));
    assertEquals(3, fs.getFileStatus(file).getLen());

    fs.setPermission(file, new FsPermission((short) 0604));
    assertEquals(
        "rw----r--",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a/b/part-0"))));
    assertThrows(
        java.io.IOException.class,
        () -> fs.setOwner(file, "someone-else-" + System.nanoTime(), null));
  }
}
