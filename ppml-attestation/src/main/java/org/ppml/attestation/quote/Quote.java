package org.ppml.attestation.quote;

import java.util.Arrays;

/**
 * A parsed DCAP quote (SGX v3, v4, v5; SGX or TDX).
 *
 * <p>Layout, all little-endian:
 *
 * <pre>
 * v3:  header(48) ‖ SGX report(384)                       ‖ u32 sigLen ‖ sigData
 * v4:  header(48) ‖ SGX report(384) or TD report(584)     ‖ u32 sigLen ‖ sigData
 * v5:  header(48) ‖ u16 bodyType ‖ u32 bodySize ‖ body    ‖ u32 sigLen ‖ sigData
 * sigData v3:    quoteSig(64) ‖ attestKey(64) ‖ QE report certification data fields
 * sigData v4/5:  quoteSig(64) ‖ attestKey(64) ‖ certification data type 6 { the same fields }
 * </pre>
 *
 * The signed region is everything before {@code sigLen}, so for v5 it includes the 6-byte body
 * descriptor. Bytes after the signature data are tolerated and ignored.
 */
public final class Quote {
  /** Largest quote we accept; real ones are about 5 KiB, this bounds work on hostile input. */
  public static final int MAX_SIZE = 1 << 20;

  private static final int BODY_SGX = 1;
  private static final int BODY_TD10 = 2;
  private static final int BODY_TD15 = 3;

  private final QuoteHeader header;
  private final ReportBody body;
  private final byte[] signedRegion;
  private final byte[] quoteSignature;
  private final byte[] attestationKey;
  private final QeReportCertificationData qeCertificationData;

  private Quote(
      QuoteHeader header,
      ReportBody body,
      byte[] signedRegion,
      byte[] quoteSignature,
      byte[] attestationKey,
      QeReportCertificationData qeCertificationData) {
    this.header = header;
    this.body = body;
    this.signedRegion = signedRegion;
    this.quoteSignature = quoteSignature;
    this.attestationKey = attestationKey;
    this.qeCertificationData = qeCertificationData;
  }

  /**
   * Parses a quote from untrusted bytes.
   *
   * @throws QuoteFormatException naming the field and offset of the first malformation
   */
  public static Quote parse(byte[] bytes) throws QuoteFormatException {
    if (bytes == null) {
      throw new QuoteFormatException("quote", 0, "no bytes");
    }
    if (bytes.length > MAX_SIZE) {
      throw new QuoteFormatException(
          "quote", 0, "is " + bytes.length + " bytes, more than the " + MAX_SIZE + " accepted");
    }
    BoundedReader r = new BoundedReader(bytes, 0, bytes.length);
    QuoteHeader header = QuoteHeader.read(r);
    ReportBody body = readBody(r, header);
    byte[] signed = Arrays.copyOfRange(bytes, 0, r.position());

    int sigLen = r.length32("signature_data.size");
    BoundedReader sig = new BoundedReader(bytes, r.position(), r.position() + sigLen);
    byte[] quoteSig = sig.bytes("signature_data.quote_signature", 64);
    byte[] attestKey = sig.bytes("signature_data.attestation_key", 64);
    QeReportCertificationData qe;
    if (header.version() == 3) {
      qe = QeReportCertificationData.read(sig, "signature_data");
    } else {
      int typeAt = sig.position();
      int type = sig.u16("signature_data.certification_data.type");
      if (type != CertificationData.TYPE_QE_REPORT) {
        throw new QuoteFormatException(
            "signature_data.certification_data.type",
            typeAt,
            "unsupported certification data type " + type + " (expected 6, QE report)");
      }
      int size = sig.length32("signature_data.certification_data.size");
      BoundedReader inner = new BoundedReader(bytes, sig.position(), sig.position() + size);
      qe = QeReportCertificationData.read(inner, "qe_report_certification_data");
    }
    return new Quote(header, body, signed, quoteSig, attestKey, qe);
  }

  private static ReportBody readBody(BoundedReader r, QuoteHeader header)
      throws QuoteFormatException {
    if (header.version() < 5) {
      return header.teeType() == TeeType.SGX
          ? EnclaveReport.read(r, "report_body")
          : TdReport.read(r, TdReport.SIZE_TD10, "report_body");
    }
    int typeAt = r.position();
    int type = r.u16("body.type");
    int sizeAt = r.position();
    long size = r.u32("body.size");
    int expected;
    switch (type) {
      case BODY_SGX -> expected = EnclaveReport.SIZE;
      case BODY_TD10 -> expected = TdReport.SIZE_TD10;
      case BODY_TD15 -> expected = TdReport.SIZE_TD15;
      default -> throw new QuoteFormatException("body.type", typeAt, "unknown body type " + type);
    }
    if (size != expected) {
      throw new QuoteFormatException(
          "body.size",
          sizeAt,
          "body type " + type + " must be " + expected + " bytes, declares " + size);
    }
    boolean sgxBody = type == BODY_SGX;
    if (sgxBody != (header.teeType() == TeeType.SGX)) {
      throw new QuoteFormatException(
          "body.type",
          typeAt,
          "body type " + type + " does not match TEE type " + header.teeType());
    }
    return sgxBody ? EnclaveReport.read(r, "body") : TdReport.read(r, expected, "body");
  }

  public QuoteHeader header() {
    return header;
  }

  public int version() {
    return header.version();
  }

  public TeeType teeType() {
    return header.teeType();
  }

  /** The attested body: an {@link EnclaveReport} for SGX, a {@link TdReport} for TDX. */
  public ReportBody body() {
    return body;
  }

  /** The bytes covered by the quote signature: header, (v5 descriptor) and body. */
  public byte[] signedRegion() {
    return signedRegion.clone();
  }

  /** ECDSA P-256 signature (raw r‖s) by the attestation key over {@link #signedRegion()}. */
  public byte[] quoteSignature() {
    return quoteSignature.clone();
  }

  /** The attestation public key, raw P-256 x‖y (64 bytes). */
  public byte[] attestationKey() {
    return attestationKey.clone();
  }

  public QeReportCertificationData qeCertificationData() {
    return qeCertificationData;
  }

  @Override
  public String toString() {
    return "Quote[v" + version() + ", " + teeType() + ", " + body + "]";
  }
}
