package org.ppml.attestation;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Test-only edits of v3 quotes: locate regions and rebuild with different certification data. */
public final class QuoteSurgery {
  public static final int V3_SIG_LEN_AT = 48 + 384;
  public static final int V3_SIG_DATA_AT = V3_SIG_LEN_AT + 4;
  public static final int V3_QUOTE_SIG_AT = V3_SIG_DATA_AT;
  public static final int V3_ATTEST_KEY_AT = V3_SIG_DATA_AT + 64;
  public static final int V3_QE_REPORT_AT = V3_SIG_DATA_AT + 128;
  public static final int V3_QE_SIG_AT = V3_QE_REPORT_AT + 384;
  public static final int V3_AUTH_LEN_AT = V3_QE_SIG_AT + 64;

  private QuoteSurgery() {}

  public static int u16(byte[] b, int at) {
    return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
  }

  public static int v3AuthDataAt() {
    return V3_AUTH_LEN_AT + 2;
  }

  public static int v3CertTypeAt(byte[] quote) {
    return V3_AUTH_LEN_AT + 2 + u16(quote, V3_AUTH_LEN_AT);
  }

  public static byte[] v3CertData(byte[] quote) {
    int at = v3CertTypeAt(quote);
    int size = ByteBuffer.wrap(quote, at + 2, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    return Arrays.copyOfRange(quote, at + 6, at + 6 + size);
  }

  /** Rebuilds a v3 quote with {@code type} and {@code data} as its certification data. */
  public static byte[] v3WithCertData(byte[] quote, int type, byte[] data) {
    int at = v3CertTypeAt(quote);
    ByteBuffer out = ByteBuffer.allocate(at + 6 + data.length).order(ByteOrder.LITTLE_ENDIAN);
    out.put(quote, 0, at);
    out.putShort((short) type);
    out.putInt(data.length);
    out.put(data);
    byte[] b = out.array();
    ByteBuffer.wrap(b)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putInt(V3_SIG_LEN_AT, b.length - V3_SIG_DATA_AT);
    return b;
  }

  public static byte[] flipBit(byte[] b, int at, int bit) {
    byte[] c = b.clone();
    c[at] ^= (byte) (1 << bit);
    return c;
  }

  public static byte[] putU32(byte[] b, int at, long v) {
    byte[] c = b.clone();
    ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putInt(at, (int) v);
    return c;
  }

  public static byte[] putU16(byte[] b, int at, int v) {
    byte[] c = b.clone();
    ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putShort(at, (short) v);
    return c;
  }
}
