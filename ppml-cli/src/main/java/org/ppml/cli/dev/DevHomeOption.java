package org.ppml.cli.dev;

import java.nio.file.Path;
import org.ppml.attestation.simulated.DevHome;
import picocli.CommandLine.Option;

/**
 * {@code --dev-home DIR}: where {@code ppml dev init} keeps the simulated-SGX PKI, default {@code
 * ~/.ppml/dev}.
 */
public final class DevHomeOption {
  @Option(
      names = {"--dev-home", "--home"},
      paramLabel = "DIR",
      description = "Dev home (simulated SGX PKI and collateral); default ~/.ppml/dev.")
  Path dir;

  /** The directory given, or the default location. */
  public Path directory() {
    return dir != null ? dir : DevHome.defaultLocation();
  }

  /** Whether {@code --dev-home} was given on the command line. */
  public boolean given() {
    return dir != null;
  }
}
