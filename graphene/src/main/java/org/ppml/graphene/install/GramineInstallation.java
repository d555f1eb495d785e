package org.ppml.graphene.install;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A Gramine installation: its prefix ({@code /opt/gramine} for the project's build of master
 * ff71d7a, {@code /usr} for the distribution packages) and the files under it.
 *
 * @param prefix the installation prefix
 * @param libDir the architecture library directory holding {@code gramine/}
 * @param pythonPath the directory holding {@code graminelibos}, or null when Python finds it
 */
public record GramineInstallation(Path prefix, Path libDir, Path pythonPath) {

  /** The environment variable naming a prefix other than the defaults. */
  public static final String HOME_ENV = "PPML_GRAMINE_HOME";

  private static final List<Path> DEFAULT_PREFIXES =
      List.of(Path.of("/opt/gramine"), Path.of("/usr"));

  /**
   * @param env the environment ({@link #HOME_ENV} is read)
   * @return the first installation found: {@code $PPML_GRAMINE_HOME}, then /opt/gramine, then /usr
   */
  public static Optional<GramineInstallation> locate(Map<String, String> env) {
    String home = env.get(HOME_ENV);
    List<Path> prefixes =
        home != null && !home.isEmpty() ? List.of(Path.of(home)) : DEFAULT_PREFIXES;
    for (Path prefix : prefixes) {
      Path libDir = prefix.resolve("lib/x86_64-linux-gnu");
      if (Files.isRegularFile(prefix.resolve("bin/gramine-direct"))
          && Files.isRegularFile(libDir.resolve("gramine/libsysdb.so"))) {
        return Optional.of(new GramineInstallation(prefix, libDir, pythonPath(prefix)));
      }
    }
    return Optional.empty();
  }

  private static Path pythonPath(Path prefix) {
    Path lib = prefix.resolve("lib");
    try (Stream<Path> dirs = Files.list(lib)) {
      return dirs.filter(d -> d.getFileName().toString().startsWith("python3"))
          .map(d -> d.resolve("site-packages"))
          .filter(d -> Files.isDirectory(d.resolve("graminelibos")))
          .sorted()
          .findFirst()
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * @param name a tool, e.g. {@code gramine-sgx-sign}
   * @return its path
   */
  public Path tool(String name) {
    return prefix.resolve("bin").resolve(name);
  }

  /**
   * @return the LibOS, the manifest's {@code loader.entrypoint}
   */
  public Path libos() {
    return libDir.resolve("gramine/libsysdb.so");
  }

  /**
   * @return Gramine's patched glibc, mounted at {@code /lib} inside the enclave
   */
  public Path runtimeDir() {
    return libDir.resolve("gramine/runtime/glibc");
  }

  /**
   * @return the SGX PAL that {@code gramine-sgx-sign} measures
   */
  public Path sgxLibpal() {
    return libDir.resolve("gramine/sgx/libpal.so");
  }

  /**
   * The environment the Python tools need: {@code PYTHONPATH} when graminelibos is not in Python's
   * own path.
   *
   * @return variables to add to a tool's environment
   */
  public Map<String, String> toolEnvironment() {
    return pythonPath == null ? Map.of() : Map.of("PYTHONPATH", pythonPath.toString());
  }
}
