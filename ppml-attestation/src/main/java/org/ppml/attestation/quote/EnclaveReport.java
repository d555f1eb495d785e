package org.ppml.attestation.quote;

import java.util.Arrays;
import org.bouncycastle.util.encoders.Hex;

/**
 * The 384-byte SGX REPORT body: the identity of an SGX enclave (the application enclave of an SGX
 * quote, or the Quoting Enclave in the certification data).
 *
 * <p>Accessors slice the encoded bytes on demand and return copies, so an instance is immutable.
 */
public final class EnclaveReport implements ReportBody {
  /** Encoded size. */
  public static final int SIZE = 384;

  private static final int DEBUG_FLAG = 0x02;

  private final byte[] raw;

  private EnclaveReport(byte[] raw) {
    this.raw = raw;
  }

  /** Wraps exactly {@link #SIZE} bytes. */
  public static EnclaveReport of(byte[] encoded) {
    if (encoded.length != SIZE) {
      throw new IllegalArgumentException(
          "an SGX report is " + SIZE + " bytes, got " + encoded.length);
    }
    return new EnclaveReport(encoded.clone());
  }

  static EnclaveReport read(BoundedReader r, String field) throws QuoteFormatException {
    return new EnclaveReport(r.bytes(field, SIZE));
  }

  private byte[] slice(int from, int to) {
    return Arrays.copyOfRange(raw, from, to);
  }

  private int u16(int at) {
    return (raw[at] & 0xff) | (raw[at + 1] & 0xff) << 8;
  }

  public byte[] cpuSvn() {
    return slice(0, 16);
  }

  public long miscSelect() {
    return (raw[16] & 0xffL)
        | (raw[17] & 0xffL) << 8
        | (raw[18] & 0xffL) << 16
        | (raw[19] & 0xffL) << 24;
  }

  /** MISCSELECT as its 4 encoded (little-endian) bytes, for masked comparison. */
  public byte[] miscSelectBytes() {
    return slice(16, 20);
  }

  public byte[] isvExtProdId() {
    return slice(32, 48);
  }

  /** The 16-byte ATTRIBUTES (flags then XFRM). */
  public byte[] attributes() {
    return slice(48, 64);
  }

  public byte[] mrEnclave() {
    return slice(64, 96);
  }

  public byte[] mrSigner() {
    return slice(128, 160);
  }

  public byte[] configId() {
    return slice(192, 256);
  }

  public int isvProdId() {
    return u16(256);
  }

  public int isvSvn() {
    return u16(258);
  }

  public int configSvn() {
    return u16(260);
  }

  public byte[] isvFamilyId() {
    return slice(304, 320);
  }

  @Override
  public byte[] reportData() {
    return slice(320, 384);
  }

  @Override
  public boolean debug() {
    return (raw[48] & DEBUG_FLAG) != 0;
  }

  @Override
  public byte[] encoded() {
    return raw.clone();
  }

  @Override
  public String toString() {
    return "EnclaveReport[mrEnclave="
        + Hex.toHexString(mrEnclave())
        + ", isvProdId="
        + isvProdId()
        + ", isvSvn="
        + isvSvn()
        + ", debug="
        + debug()
        + "]";
  }
}
