package org.ppml.attestation.evidence;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What a provider factory may look at when it detects its TEE and creates a provider: the file
 * system root under which the TEE interfaces appear ({@code /} in production, a fake tree in
 * tests), whether dev mode is on, and the dev home for the simulated provider.
 */
public final class EvidenceContext {
  private final Path root;
  private final boolean devMode;
  private final Path devHome;

  /**
   * @param root the directory the TEE interfaces are resolved against, normally {@code /}
   * @param devMode whether simulated evidence is allowed
   * @param devHome the dev home ({@code ppml dev init}); only read by the simulated provider
   */
  public EvidenceContext(Path root, boolean devMode, Path devHome) {
    this.root = Objects.requireNonNull(root, "root");
    this.devMode = devMode;
    this.devHome = Objects.requireNonNull(devHome, "devHome");
  }

  /** The real machine: root {@code /}. */
  public static EvidenceContext system(boolean devMode, Path devHome) {
    return new EvidenceContext(Path.of("/"), devMode, devHome);
  }

  /**
   * Resolves an absolute interface path such as {@code /dev/attestation} against the root.
   *
   * @param absolute a path starting with {@code /}
   */
  public Path resolve(String absolute) {
    if (!absolute.startsWith("/")) {
      throw new IllegalArgumentException("not an absolute path: " + absolute);
    }
    return root.resolve(absolute.substring(1));
  }

  public Path root() {
    return root;
  }

  public boolean devMode() {
    return devMode;
  }

  public Path devHome() {
    return devHome;
  }

  @Override
  public String toString() {
    return "EvidenceContext[root=" + root + ", devMode=" + devMode + ", devHome=" + devHome + "]";
  }
}
