package org.ppml.attestation.quote;

import org.bouncycastle.util.encoders.Hex;

/**
 * The 48-byte quote header shared by all supported versions.
 *
 * <p>The header's {@code qe_svn} and {@code pce_svn} are informational: the verifier takes the PCE
 * SVN from the PCK certificate, because only that value is signed by Intel.
 */
public final class QuoteHeader {
  /** Encoded size of the header. */
  public static final int SIZE = 48;

  /** {@code att_key_type} for ECDSA-256 with P-256, the only type DCAP quotes use in practice. */
  public static final int ATTESTATION_KEY_ECDSA_P256 = 2;

  private final int version;
  private final int attestationKeyType;
  private final TeeType teeType;
  private final int qeSvn;
  private final int pceSvn;
  private final byte[] qeVendorId;
  private final byte[] userData;

  QuoteHeader(
      int version,
      int attestationKeyType,
      TeeType teeType,
      int qeSvn,
      int pceSvn,
      byte[] qeVendorId,
      byte[] userData) {
    this.version = version;
    this.attestationKeyType = attestationKeyType;
    this.teeType = teeType;
    this.qeSvn = qeSvn;
    this.pceSvn = pceSvn;
    this.qeVendorId = qeVendorId;
    this.userData = userData;
  }

  static QuoteHeader read(BoundedReader r) throws QuoteFormatException {
    int versionAt = r.position();
    int version = r.u16("header.version");
    if (version < 3 || version > 5) {
      throw new QuoteFormatException(
          "header.version",
          versionAt,
          "unsupported quote version " + version + " (supported: 3, 4, 5)");
    }
    int keyTypeAt = r.position();
    int keyType = r.u16("header.att_key_type");
    if (keyType != ATTESTATION_KEY_ECDSA_P256) {
      throw new QuoteFormatException(
          "header.att_key_type",
          keyTypeAt,
          "unsupported attestation key type " + keyType + " (supported: 2, ECDSA P-256)");
    }
    int teeAt = r.position();
    long teeWire = r.u32("header.tee_type");
    // A v3 header has a reserved field here and only ever describes SGX.
    TeeType tee = version == 3 ? TeeType.SGX : TeeType.fromWire(teeWire, teeAt);
    int qeSvn = r.u16("header.qe_svn");
    int pceSvn = r.u16("header.pce_svn");
    byte[] vendor = r.bytes("header.qe_vendor_id", 16);
    byte[] user = r.bytes("header.user_data", 20);
    return new QuoteHeader(version, keyType, tee, qeSvn, pceSvn, vendor, user);
  }

  public int version() {
    return version;
  }

  public int attestationKeyType() {
    return attestationKeyType;
  }

  public TeeType teeType() {
    return teeType;
  }

  /** The QE SVN as the header claims it (unsigned by Intel). */
  public int qeSvn() {
    return qeSvn;
  }

  /** The PCE SVN as the header claims it; the verifier uses the PCK certificate's value instead. */
  public int pceSvn() {
    return pceSvn;
  }

  public byte[] qeVendorId() {
    return qeVendorId.clone();
  }

  public byte[] userData() {
    return userData.clone();
  }

  @Override
  public String toString() {
    return "QuoteHeader[version="
        + version
        + ", tee="
        + teeType
        + ", qeVendorId="
        + Hex.toHexString(qeVendorId)
        + "]";
  }
}
