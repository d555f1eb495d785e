package org.ppml.attestation.simulated;

import java.io.IOException;
import java.security.GeneralSecurityException;
import org.ppml.attestation.evidence.Evidence;
import org.ppml.attestation.evidence.EvidenceException;
import org.ppml.attestation.evidence.EvidenceProvider;
import org.ppml.attestation.evidence.QuoteEvidence;
import org.ppml.attestation.quote.TeeType;

/**
 * The {@code simulated} evidence provider: real-format SGX v3 quotes from the dev home's PKI, for
 * Stage 1 on machines without SGX. Only a verifier that pins the dev root accepts them, and it
 * marks them simulated.
 */
public final class SimulatedSgxProvider implements EvidenceProvider {
  /** The provider name. */
  public static final String NAME = "simulated";

  private final SimulatedQuoteBuilder builder;
  private final byte[] mrEnclave;
  private final byte[] mrSigner;

  SimulatedSgxProvider(SimulatedQuoteBuilder builder, byte[] mrEnclave, byte[] mrSigner) {
    if (mrEnclave.length != 32 || mrSigner.length != 32) {
      throw new IllegalArgumentException("MRENCLAVE and MRSIGNER are 32 bytes");
    }
    this.builder = builder;
    this.mrEnclave = mrEnclave.clone();
    this.mrSigner = mrSigner.clone();
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The stand-in MRENCLAVE this provider reports. */
  public byte[] mrEnclave() {
    return mrEnclave.clone();
  }

  /** The MRSIGNER this provider reports: SHA-256 of the dev enclave key's little-endian modulus. */
  public byte[] mrSigner() {
    return mrSigner.clone();
  }

  @Override
  public Evidence evidence(byte[] reportData) throws EvidenceException {
    QuoteEvidence.checkReportData(reportData);
    try {
      return new Evidence(TeeType.SGX, builder.build(mrEnclave, mrSigner, reportData), NAME);
    } catch (GeneralSecurityException | IOException e) {
      throw new EvidenceException("cannot produce a simulated quote: " + e.getMessage(), e);
    }
  }
}
