package org.ppml.graphene.install;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The real Gramine for tests that run its tools. Missing Gramine skips the test with one line
 * saying how to install it, except in CI ({@code CI=true}), where it fails: CI installs it.
 */
public final class RealGramine {
  private RealGramine() {}

  /**
   * @return the installation
   */
  public static GramineInstallation require() {
    var found = GramineInstallation.locate(System.getenv());
    if (found.isPresent()) {
      return found.get();
    }
    String how =
        "Gramine not found (/opt/gramine, /usr or $PPML_GRAMINE_HOME): "
            + "run `sudo ../shared/gramine/install.sh` to enable the real-Gramine tests";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(how + " (CI=true: these tests must not be skipped)");
    }
    System.err.println("SKIPPED: " + how);
    Assumptions.abort(how);
    throw new AssertionError("unreachable");
  }

  /** A finished tool run. */
  public record Run(int exit, String stdout, String stderr) {}

  /**
   * Runs a Gramine tool to completion.
   *
   * @param g the installation
   * @param dir the working directory
   * @param timeoutSeconds how long it may take
   * @param command the tool name and its arguments
   * @return its exit code and output
   */
  public static Run run(GramineInstallation g, Path dir, long timeoutSeconds, String... command)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(command));
    cmd.set(0, g.tool(command[0]).toString());
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().putAll(g.toolEnvironment());
    pb.redirectOutput(dir.resolve(command[0] + ".out").toFile());
    pb.redirectError(dir.resolve(command[0] + ".err").toFile());
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(command[0] + " did not finish in " + timeoutSeconds + " s");
    }
    return new Run(
        p.exitValue(),
        java.nio.file.Files.readString(dir.resolve(command[0] + ".out"), StandardCharsets.UTF_8),
        java.nio.file.Files.readString(dir.resolve(command[0] + ".err"), StandardCharsets.UTF_8));
  }
}
