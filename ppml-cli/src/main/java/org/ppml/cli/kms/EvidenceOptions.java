package org.ppml.cli.kms;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ppml.attestation.evidence.EvidenceException;
import org.ppml.attestation.evidence.EvidenceProvider;
import org.ppml.attestation.evidence.EvidenceProviders;
import org.ppml.cli.ErrorReporter;
import org.ppml.cli.dev.DevHomeOption;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code --provider NAME [--dev-home DIR]}: where an attesting command gets its evidence.
 *
 * <p>Dev mode (simulated evidence allowed) is on only when asked for: {@code --provider simulated},
 * or an explicit {@code --dev-home} that lets {@code auto} fall back to simulated evidence when no
 * TEE is found. Without either, {@code auto} outside a TEE fails rather than attest with evidence
 * every production broker refuses.
 */
public final class EvidenceOptions {
  @Option(
      names = "--provider",
      paramLabel = "NAME",
      defaultValue = EvidenceProviders.AUTO,
      description =
          "Evidence provider: simulated, gramine, occlum, tdx or auto (default: ${DEFAULT-VALUE}).")
  String provider;

  @Mixin DevHomeOption devHome;

  EvidenceProvider select() throws EvidenceException {
    boolean simulated = EvidenceProviders.SIMULATED.equalsIgnoreCase(provider.strip());
    Path home = devHome.directory();
    if (simulated && !Files.isDirectory(home)) {
      throw new ErrorReporter.UsageError(
          "--provider simulated needs a dev home; "
              + home
              + " does not exist (run `ppml dev init`"
              + (devHome.given() ? " --dev-home " + home : "")
              + ")");
    }
    return EvidenceProviders.select(provider, simulated || devHome.given(), home);
  }
}
