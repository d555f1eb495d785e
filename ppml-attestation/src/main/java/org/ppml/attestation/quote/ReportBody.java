package org.ppml.attestation.quote;

/**
 * The attested body of a quote: an SGX enclave report or a TD report.
 *
 * <p>Both carry 64 bytes of report data and a debug flag; the rest differs by TEE.
 */
public sealed interface ReportBody permits EnclaveReport, TdReport {
  /** The TEE-chosen 64-byte user data, typically a hash binding a key or nonce. */
  byte[] reportData();

  /** True when the enclave or TD runs in debug mode, so its memory is readable by the host. */
  boolean debug();

  /** The exact encoded bytes of the body. */
  byte[] encoded();
}
