package org.ppml.cli.gramine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The host libraries a JDK and Spark's native helpers load besides glibc (which Gramine supplies):
 * the C++ runtime and zlib. Linked into one directory, which the manifest trusts (each file with
 * its hash), mounts and puts on {@code LD_LIBRARY_PATH}, instead of trusting all of the host's
 * library directory.
 */
public final class JdkSystemLibraries {
  /** libjvm.so needs the C++ runtime; libzip.so (Debian's JDK) links the system zlib. */
  static final List<String> NAMES = List.of("libstdc++.so.6", "libgcc_s.so.1", "libz.so.1");

  static final List<Path> SEARCH =
      List.of(
          Path.of("/lib/x86_64-linux-gnu"),
          Path.of("/usr/lib/x86_64-linux-gnu"),
          Path.of("/lib64"),
          Path.of("/usr/lib64"));

  private JdkSystemLibraries() {}

  /**
   * @param dir the directory to create
   * @return {@code dir}, holding a link to each library
   * @throws IOException if a library is not found in the usual directories
   */
  public static Path stage(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (String name : NAMES) {
      Path found = null;
      for (Path d : SEARCH) {
        if (Files.isRegularFile(d.resolve(name))) {
          found = d.resolve(name).toRealPath();
          break;
        }
      }
      if (found == null) {
        throw new IOException(name + " is not in any of " + SEARCH + "; install it");
      }
      Path link = dir.resolve(name);
      Files.deleteIfExists(link);
      Files.createSymbolicLink(link, found);
    }
    return dir;
  }
}
