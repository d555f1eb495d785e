package org.ppml.attestation.dcap;

/**
 * The numbered steps of DCAP verification (docs/architecture.md, issue 3), in the order {@link
 * QuoteVerifier} runs them. The name is the stable {@code error.code} of a failure.
 */
public enum VerificationStep {
  /** 1. The PCK certificate chain in the quote leads to the pinned root. */
  PCK_CERT_CHAIN("PCK certificate chain"),
  /** 2. Every certificate is within its validity period at the verification time. */
  CERTIFICATE_VALIDITY("certificate validity"),
  /** 3. Root CA CRL and PCK CRL: signature, issuer, revocation. */
  CRL("certificate revocation lists"),
  /** 3/4. Collateral (CRLs, TCB Info, QE Identity) is inside its issue/next-update window. */
  COLLATERAL_VALIDITY("collateral validity window"),
  /** 4. TCB Info: issuer chain and signature over the raw JSON. */
  TCB_INFO_SIGNATURE("TCB Info signature"),
  /** 4. QE Identity: issuer chain and signature over the raw JSON. */
  QE_IDENTITY_SIGNATURE("QE Identity signature"),
  /** 5. FMSPC and PCEID of the PCK certificate match the TCB Info (and its TEE type). */
  FMSPC_PCEID("FMSPC/PCEID match"),
  /** 6. The PCK key's signature over the QE report. */
  QE_REPORT_SIGNATURE("QE report signature"),
  /** 6. The QE report binds the attestation key: SHA256(attestKey ‖ authData). */
  QE_BINDING("QE report binding of the attestation key"),
  /** 7. The attestation key's signature over header and body. */
  QUOTE_SIGNATURE("quote signature"),
  /** 8. A platform TCB level matches the PCK certificate's SVNs (and TEE_TCB_SVN). */
  TCB_LEVEL("TCB level"),
  /** 8. The TDX module identity ({@code TDX_%02X}) and its TCB level. */
  TDX_MODULE("TDX module identity"),
  /** 9. The QE matches QE Identity and has a TCB level. */
  QE_IDENTITY("QE identity"),
  /** 10. The combined TCB status is acceptable to DCAP (not Revoked). */
  TCB_STATUS("TCB status");

  private final String description;

  VerificationStep(String description) {
    this.description = description;
  }

  /** A short human description of the step. */
  public String description() {
    return description;
  }
}
