package org.ppml.graphene.attestation;

import org.ppml.attestation.evidence.EvidenceContext;
import org.ppml.attestation.evidence.EvidenceProvider;
import org.ppml.attestation.evidence.EvidenceProviderFactory;

/**
 * The {@code gramine} factory: available where {@code /dev/attestation/attestation_type} exists,
 * that is inside an SGX enclave. Under {@code gramine-direct} it is not, so {@code auto} falls back
 * to simulated evidence in dev mode exactly as outside Gramine, and naming {@code gramine} fails
 * saying that this is Gramine without SGX.
 */
public final class GramineEvidenceProviderFactory implements EvidenceProviderFactory {

  @Override
  public String name() {
    return GramineEvidenceProvider.NAME;
  }

  @Override
  public boolean isAvailable(EvidenceContext context) {
    return device(context).isPresent();
  }

  @Override
  public EvidenceProvider create(EvidenceContext context) {
    return new GramineEvidenceProvider(device(context));
  }

  private static GramineAttestationDevice device(EvidenceContext context) {
    return new GramineAttestationDevice(
        context.resolve(GramineAttestationDevice.DEFAULT_ROOT.toString()));
  }
}
