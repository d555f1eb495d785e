package org.ppml.attestation.simulated;

import java.io.IOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import org.ppml.attestation.evidence.EvidenceContext;
import org.ppml.attestation.evidence.EvidenceException;
import org.ppml.attestation.evidence.EvidenceProvider;
import org.ppml.attestation.evidence.EvidenceProviderFactory;

/**
 * The {@code simulated} factory: opens the dev home and reports the class path's stand-in
 * MRENCLAVE. {@code EvidenceProviders} only lets it be used in dev mode.
 */
public final class SimulatedSgxProviderFactory implements EvidenceProviderFactory {

  @Override
  public String name() {
    return SimulatedSgxProvider.NAME;
  }

  /**
   * Simulated evidence is possible wherever a dev home exists; dev mode is checked by the selector.
   */
  @Override
  public boolean isAvailable(EvidenceContext context) {
    return Files.isDirectory(context.devHome());
  }

  @Override
  public EvidenceProvider create(EvidenceContext context) throws EvidenceException {
    try {
      return DevHome.open(context.devHome()).provider(SimulatedMeasurement.mrEnclaveOfClassPath());
    } catch (IOException | GeneralSecurityException e) {
      throw new EvidenceException(
          "cannot open the dev home " + context.devHome() + ": " + e.getMessage(), e);
    }
  }
}
