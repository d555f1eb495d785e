package org.ppml.cli.dev;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.ppml.attestation.simulated.DevHome;
import org.ppml.cli.CommandOutput;
import org.ppml.cli.ErrorReporter;
import org.ppml.cli.ExitCodes;
import org.ppml.cli.OutputOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ppml dev init}: creates the dev home, or refreshes the collateral of an existing one.
 *
 * <p>An existing home keeps its keys unless {@code --force}: policies registered with the dev
 * MRSIGNER and roots pinned by other tools stay valid when someone re-runs init to renew collateral
 * that expired.
 */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = {
      "Create the simulated-SGX dev home: dev root CA, PCK chain, TCB signing key, QE and enclave keys, signed collateral.",
      "On an existing dev home, only re-sign the collateral (valid from now for a year) unless --force."
    })
public final class DevInitCommand implements Callable<Integer> {
  @Mixin OutputOptions output;
  @Mixin DevHomeOption home;
  @Spec CommandSpec spec;

  @Option(names = "--force", description = "Replace an existing dev home's keys and PKI.")
  boolean force;

  @Override
  public Integer call() throws Exception {
    CommandOutput out =
        new CommandOutput(output.json(), spec.commandLine().getOut(), spec.commandLine().getErr());
    Path dir = home.directory();
    Instant now = Instant.now();
    boolean exists = hasEntries(dir);
    DevHome dev;
    if (exists && !force) {
      dev = open(dir);
      dev.refreshCollateral(now);
    } else {
      dev = DevHome.init(dir, now);
    }
    String action = !exists ? "created" : force ? "recreated" : "refreshed";
    ObjectNode json = CommandOutput.object();
    json.put("devHome", dir.toAbsolutePath().toString());
    json.put("action", action);
    json.put("rootCertificate", dev.rootCertificateFile().toAbsolutePath().toString());
    json.put("rootSha256", dev.pinnedRoot().sha256Hex());
    json.put("collateral", dev.collateralFile().toAbsolutePath().toString());
    json.put("collateralValidUntil", now.plus(DevHome.COLLATERAL_LIFETIME).toString());
    json.put("mrSigner", HexFormat.of().formatHex(dev.mrSigner()));
    out.result(json);
    out.fields(json);
    out.note(
        "ppml: note: simulated SGX: trusted only by `ppml quote verify --dev`, and always marked simulated");
    return ExitCodes.OK;
  }

  private static boolean hasEntries(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isPresent();
    }
  }

  private static DevHome open(Path dir) {
    try {
      return DevHome.open(dir);
    } catch (IOException | GeneralSecurityException e) {
      throw new ErrorReporter.UsageError(
          dir + " is not a complete dev home (" + e.getMessage() + "); use --force to recreate it");
    }
  }
}
