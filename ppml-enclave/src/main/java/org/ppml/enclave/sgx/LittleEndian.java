package org.ppml.enclave.sgx;

import java.math.BigInteger;

/**
 * Little-endian field access. SGX structures are little-endian throughout, including the RSA
 * integers, while Java's {@link BigInteger} and the JCA speak big-endian.
 */
final class LittleEndian {
  static int u16(byte[] b, int off) {
    return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
  }

  static long u32(byte[] b, int off) {
    return (b[off] & 0xffL)
        | (b[off + 1] & 0xffL) << 8
        | (b[off + 2] & 0xffL) << 16
        | (b[off + 3] & 0xffL) << 24;
  }

  static long u64(byte[] b, int off) {
    return u32(b, off) | u32(b, off + 4) << 32;
  }

  static void putU16(byte[] b, int off, int v) {
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >>> 8);
  }

  static void putU32(byte[] b, int off, long v) {
    for (int i = 0; i < 4; i++) {
      b[off + i] = (byte) (v >>> (8 * i));
    }
  }

  static void putU64(byte[] b, int off, long v) {
    for (int i = 0; i < 8; i++) {
      b[off + i] = (byte) (v >>> (8 * i));
    }
  }

  /** Reads an unsigned little-endian integer of {@code len} bytes. */
  static BigInteger unsigned(byte[] b, int off, int len) {
    byte[] be = new byte[len];
    for (int i = 0; i < len; i++) {
      be[i] = b[off + len - 1 - i];
    }
    return new BigInteger(1, be);
  }

  /** Writes a non-negative integer as exactly {@code len} little-endian bytes. */
  static void putUnsigned(byte[] b, int off, int len, BigInteger v) {
    if (v.signum() < 0 || v.bitLength() > len * 8) {
      throw new IllegalArgumentException("integer does not fit in " + len + " bytes");
    }
    byte[] be = v.toByteArray();
    for (int i = 0; i < len; i++) {
      int src = be.length - 1 - i;
      b[off + i] = src >= 0 ? be[src] : 0;
    }
  }

  private LittleEndian() {}
}
