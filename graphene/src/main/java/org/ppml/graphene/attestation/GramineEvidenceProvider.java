package org.ppml.graphene.attestation;

import org.ppml.attestation.evidence.Evidence;
import org.ppml.attestation.evidence.EvidenceException;
import org.ppml.attestation.evidence.EvidenceProvider;
import org.ppml.attestation.evidence.QuoteEvidence;
import org.ppml.attestation.quote.TeeType;

/**
 * The {@code gramine} evidence provider: a DCAP quote from {@link GramineAttestationDevice},
 * checked to bind the requested report data.
 */
public final class GramineEvidenceProvider implements EvidenceProvider {
  /** The provider name. */
  public static final String NAME = "gramine";

  private final GramineAttestationDevice device;

  /**
   * @param device the {@code /dev/attestation} interface (a fake directory in tests)
   */
  public GramineEvidenceProvider(GramineAttestationDevice device) {
    this.device = device;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Evidence evidence(byte[] reportData) throws EvidenceException {
    QuoteEvidence.checkReportData(reportData);
    byte[] quote;
    try {
      quote = device.quote(reportData);
    } catch (GramineAttestationException e) {
      throw new EvidenceException(e.getMessage(), e);
    }
    return QuoteEvidence.of(NAME, TeeType.SGX, quote, reportData, device.toString());
  }

  @Override
  public String toString() {
    return "GramineEvidenceProvider[" + device + "]";
  }
}
