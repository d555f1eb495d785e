package org.ppml.attestation.quote;

/**
 * The Quoting Enclave's part of the signature data: its REPORT, the PCK key's signature over that
 * report, the QE authentication data, and the certification data that carries the PCK chain.
 *
 * <p>In a v3 quote these fields sit directly in the signature data; in v4 and v5 they are wrapped
 * in a type-6 certification data block.
 */
public final class QeReportCertificationData {
  private final byte[] qeReportBytes;
  private final EnclaveReport qeReport;
  private final byte[] qeReportSignature;
  private final byte[] qeAuthData;
  private final CertificationData certificationData;

  private QeReportCertificationData(
      byte[] qeReportBytes,
      byte[] qeReportSignature,
      byte[] qeAuthData,
      CertificationData certificationData) {
    this.qeReportBytes = qeReportBytes;
    this.qeReport = EnclaveReport.of(qeReportBytes);
    this.qeReportSignature = qeReportSignature;
    this.qeAuthData = qeAuthData;
    this.certificationData = certificationData;
  }

  static QeReportCertificationData read(BoundedReader r, String field) throws QuoteFormatException {
    byte[] report = r.bytes(field + ".qe_report", EnclaveReport.SIZE);
    byte[] sig = r.bytes(field + ".qe_report_signature", 64);
    int authLen = r.length16(field + ".qe_auth_data.size");
    byte[] auth = r.bytes(field + ".qe_auth_data", authLen);
    CertificationData cert = CertificationData.read(r, field + ".certification_data");
    return new QeReportCertificationData(report, sig, auth, cert);
  }

  /** The QE's REPORT, parsed. */
  public EnclaveReport qeReport() {
    return qeReport;
  }

  /** The exact 384 bytes the PCK key signed. */
  public byte[] qeReportBytes() {
    return qeReportBytes.clone();
  }

  /** ECDSA P-256 signature (raw r‖s, 64 bytes) by the PCK key over the QE report. */
  public byte[] qeReportSignature() {
    return qeReportSignature.clone();
  }

  /** QE authentication data, hashed into the QE report's report data with the attestation key. */
  public byte[] qeAuthData() {
    return qeAuthData.clone();
  }

  /** The certification data block (normally the PEM PCK chain). */
  public CertificationData certificationData() {
    return certificationData;
  }
}
