package org.ppml.attestation.quote;

import java.nio.charset.StandardCharsets;

/**
 * A certification data block: {@code u16 type, u32 size, data}. The innermost block of a DCAP quote
 * is normally type 5, the PCK certificate chain in PEM, which is accepted only in its canonical
 * form ({@link PemChainEncoding}). Other types are carried as they are and refused by the verifier.
 */
public final class CertificationData {
  /** Type 5: concatenated PCK certificate chain, PEM. */
  public static final int TYPE_PCK_CERT_CHAIN = 5;

  /** Type 6: QE report certification data (wraps a QE report and a nested block). */
  public static final int TYPE_QE_REPORT = 6;

  private final int type;
  private final byte[] data;
  private final int offset;

  CertificationData(int type, byte[] data, int offset) {
    this.type = type;
    this.data = data;
    this.offset = offset;
  }

  static CertificationData read(BoundedReader r, String field) throws QuoteFormatException {
    int at = r.position();
    int type = r.u16(field + ".type");
    int size = r.length32(field + ".size");
    int dataAt = r.position();
    byte[] data = r.bytes(field + ".data", size);
    if (type == TYPE_PCK_CERT_CHAIN) {
      PemChainEncoding.requireCanonical(data, dataAt, field + ".data");
    }
    return new CertificationData(type, data, at);
  }

  public int type() {
    return type;
  }

  public byte[] data() {
    return data.clone();
  }

  /**
   * The PEM text of the PCK certificate chain (leaf first), without the one trailing NUL that the
   * parser required ({@link PemChainEncoding}).
   *
   * @throws QuoteFormatException if this block is not type 5
   */
  public String pckCertChainPem() throws QuoteFormatException {
    if (type != TYPE_PCK_CERT_CHAIN) {
      throw new QuoteFormatException(
          "certification_data.type", offset, "unsupported certification data type " + type);
    }
    return new String(data, 0, data.length - 1, StandardCharsets.US_ASCII);
  }
}
