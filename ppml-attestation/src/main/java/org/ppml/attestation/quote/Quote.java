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
 * descriptor.
 *
 * <p>Only one encoding is accepted (issue 13; this replaces DESIGN.md §5's tolerance of trailing
 * bytes): every length field must be filled exactly by what it sizes, the PCK chain must be in
 * Intel's PEM form ({@link PemChainEncoding}), and the quote must end with its signature data,
 * except for the zero padding Intel's TD quote library leaves after TDX quotes ({@link #parse}).
 * Bytes nothing signs can then not be changed without the parser noticing, so anything that hashes
 * whole quotes sees one byte string per quote, up to that padding and ECDSA's own malleability.
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
  private final int encodedLength;
  private final byte[] source;
  private final byte[] quoteSignature;
  private final byte[] attestationKey;
  private final QeReportCertificationData qeCertificationData;

  private Quote(
      QuoteHeader header,
      ReportBody body,
      byte[] signedRegion,
      byte[] source,
      int encodedLength,
      byte[] quoteSignature,
      byte[] attestationKey,
      QeReportCertificationData qeCertificationData) {
    this.header = header;
    this.body = body;
    this.signedRegion = signedRegion;
    this.source = source;
    this.encodedLength = encodedLength;
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
    int sigEnd = r.position() + sigLen;
    BoundedReader sig = new BoundedReader(bytes, r.position(), sigEnd);
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
      requireConsumed(inner, "qe_report_certification_data", "signature_data.certification_data");
      sig.bytes("signature_data.certification_data.data", size);
    }
    requireConsumed(sig, "signature_data", "signature_data.size");
    requireNothingAfter(bytes, sigEnd, header, body, sigLen);
    return new Quote(header, body, signed, bytes.clone(), sigEnd, quoteSig, attestKey, qe);
  }

  /** Every byte a length field declares must belong to the structure it sizes. */
  private static void requireConsumed(BoundedReader r, String structure, String lengthField)
      throws QuoteFormatException {
    if (r.remaining() != 0) {
      throw new QuoteFormatException(
          structure,
          r.position(),
          r.remaining() + " byte(s) after its last field are inside " + lengthField);
    }
  }

  /**
   * A quote ends where its signature data ends. The one exception is the zero padding Intel's TD
   * quote library leaves: it sizes every TDX quote buffer for a v5 quote with a TD 1.5 body ({@code
   * tee_att_get_quote_size} in {@code td_ql_logic.cpp}), and the QGS returns the whole buffer, so a
   * v4 quote arrives followed by exactly 70 zero bytes (6 for the v5 body descriptor, 64 for the TD
   * 1.5 fields). Exactly that many zeros are accepted after a TDX quote; nothing else is.
   */
  private static void requireNothingAfter(
      byte[] bytes, int end, QuoteHeader header, ReportBody body, int sigLen)
      throws QuoteFormatException {
    int extra = bytes.length - end;
    if (extra == 0) {
      return;
    }
    int reserved = tdxReservedPadding(header, body, sigLen, end);
    boolean zeros = true;
    for (int i = end; i < bytes.length && zeros; i++) {
      zeros = bytes[i] == 0;
    }
    if (extra == reserved && zeros) {
      return;
    }
    throw new QuoteFormatException(
        "quote",
        end,
        extra
            + " byte(s) after the end of the signature data"
            + (reserved > 0
                ? " (a TDX quote may only be followed by exactly " + reserved + " zero bytes)"
                : ""));
  }

  /** Zero bytes Intel's TD quote library leaves after this quote; 0 for SGX. */
  private static int tdxReservedPadding(QuoteHeader header, ReportBody body, int sigLen, int end) {
    if (header.teeType() != TeeType.TDX || !(body instanceof TdReport)) {
      return 0;
    }
    long v5Td15 = (long) QuoteHeader.SIZE + 6 + TdReport.SIZE_TD15 + 4 + sigLen;
    return (int) Math.max(0, v5Td15 - end);
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

  /**
   * The quote's own bytes, from the header to the end of the signature data: the input without the
   * TDX zero padding {@link #parse} allows. Hash this, not the input, to identify a quote.
   */
  public byte[] encoded() {
    return Arrays.copyOf(source, encodedLength);
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
