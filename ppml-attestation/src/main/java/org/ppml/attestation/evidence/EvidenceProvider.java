package org.ppml.attestation.evidence;

/**
 * Produces attestation evidence that binds 64 bytes of caller-chosen report data (typically a hash
 * of a nonce and a public key) into a quote.
 */
public interface EvidenceProvider {
  /** Size of the report data every provider takes. */
  int REPORT_DATA_SIZE = 64;

  /**
   * The provider's name as used by {@code spark.ppml.attestation.provider}, e.g. {@code simulated}.
   */
  String name();

  /**
   * Returns evidence whose report data is exactly {@code reportData}.
   *
   * @param reportData exactly {@link #REPORT_DATA_SIZE} bytes
   * @throws EvidenceException if the TEE cannot produce a quote
   */
  Evidence evidence(byte[] reportData) throws EvidenceException;
}
