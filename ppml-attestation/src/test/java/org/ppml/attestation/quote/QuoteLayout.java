package org.ppml.attestation.quote;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A test-side reading of a DCAP quote written from Intel's public layout (SGX ECDSA Quote Library
 * reference, {@code sgx_quote_3.h}, {@code sgx_quote_4.h}, {@code sgx_quote_5.h}), independent of
 * {@link Quote}: where each field is, and how to re-encode the quote with different certification
 * data while keeping every length field consistent.
 *
 * <pre>
 * header 48 ‖ body (v3/v4: 384 SGX or 584 TD; v5: u16 type ‖ u32 size ‖ body) ‖ u32 sigLen ‖ sig
 * sig v3:   sig 64 ‖ key 64 ‖ qeReport 384 ‖ qeSig 64 ‖ u16 n ‖ auth n ‖ u16 type ‖ u32 m ‖ data m
 * sig v4/5: sig 64 ‖ key 64 ‖ u16 6 ‖ u32 k ‖ [qeReport ‖ qeSig ‖ auth ‖ u16 type ‖ u32 m ‖ data m]
 * </pre>
 */
final class QuoteLayout {
  final byte[] quote;
  final int version;
  final int sigLenAt;
  final int sigDataAt;
  final int sigDataEnd;

  /** -1 for v3. */
  final int outerCertAt;

  final int qeReportAt;
  final int certTypeAt;
  final int certSizeAt;
  final int certDataAt;
  final int certDataEnd;

  QuoteLayout(byte[] quote) {
    this.quote = quote.clone();
    version = u16(0);
    boolean tdx = u32(4) == 0x81;
    int bodyEnd;
    if (version == 5) {
      bodyEnd = 48 + 6 + (int) u32(50);
    } else {
      bodyEnd = 48 + (tdx ? 584 : 384);
    }
    sigLenAt = bodyEnd;
    sigDataAt = sigLenAt + 4;
    sigDataEnd = sigDataAt + (int) u32(sigLenAt);
    int p = sigDataAt + 128;
    if (version == 3) {
      outerCertAt = -1;
    } else {
      outerCertAt = p;
      p += 6;
    }
    qeReportAt = p;
    int authLenAt = qeReportAt + 384 + 64;
    certTypeAt = authLenAt + 2 + u16(authLenAt);
    certSizeAt = certTypeAt + 2;
    certDataAt = certSizeAt + 4;
    certDataEnd = certDataAt + (int) u32(certSizeAt);
  }

  int u16(int at) {
    return (quote[at] & 0xff) | (quote[at + 1] & 0xff) << 8;
  }

  long u32(int at) {
    return ByteBuffer.wrap(quote, at, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
  }

  /** The quote alone, without whatever follows its signature data. */
  byte[] exact() {
    return Arrays.copyOf(quote, sigDataEnd);
  }

  byte[] certData() {
    return Arrays.copyOfRange(quote, certDataAt, certDataEnd);
  }

  /**
   * Re-encodes the quote with {@code data} as the type-5 certification data, {@code afterCert}
   * inside the type-6 block after it (v4/v5 only), and {@code afterSig} inside the signature data
   * after everything else, fixing every enclosing length so that only the content differs.
   */
  byte[] with(byte[] data, byte[] afterCert, byte[] afterSig) {
    ByteArrayOutputStream qe = new ByteArrayOutputStream();
    qe.write(quote, qeReportAt, certSizeAt - qeReportAt); // QE report ‖ sig ‖ auth ‖ cert type
    qe.writeBytes(le32(data.length));
    qe.writeBytes(data);
    ByteArrayOutputStream sig = new ByteArrayOutputStream();
    sig.write(quote, sigDataAt, 128);
    if (version == 3) {
      sig.writeBytes(qe.toByteArray());
    } else {
      qe.writeBytes(afterCert);
      sig.write(quote, outerCertAt, 2);
      sig.writeBytes(le32(qe.size()));
      sig.writeBytes(qe.toByteArray());
    }
    sig.writeBytes(afterSig);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(quote, 0, sigLenAt);
    out.writeBytes(le32(sig.size()));
    out.writeBytes(sig.toByteArray());
    return out.toByteArray();
  }

  static byte[] le32(long v) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array();
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
