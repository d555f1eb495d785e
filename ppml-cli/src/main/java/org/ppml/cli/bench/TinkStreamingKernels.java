package org.ppml.cli.bench;

import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;

/**
 * Kernel (c) of the crypto benchmark: Tink's {@code AesGcmHkdfStreaming} with PPML's parameters
 * (HKDF-SHA256, 32-byte key, the given segment size, empty associated data). The only class of the
 * CLI that links to Tink; {@link TinkBaseline} creates it only when Tink is present.
 */
final class TinkStreamingKernels implements TinkBaseline.Kernels {
  private static final byte[] NO_ASSOCIATED_DATA = new byte[0];

  private final byte[] key;
  private final int segmentSize;
  private final byte[] plaintext;
  private final byte[] ciphertext;
  private final byte[] out;

  /**
   * Encrypts {@code plaintext} once with Tink, for {@link #decrypt}; the JCA provider order decides
   * the AES provider.
   */
  TinkStreamingKernels(byte[] key, int segmentSize, byte[] plaintext)
      throws IOException, GeneralSecurityException {
    this.key = key;
    this.segmentSize = segmentSize;
    this.plaintext = plaintext;
    this.out = new byte[segmentSize];
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    try (OutputStream s = tink().newEncryptingStream(body, NO_ASSOCIATED_DATA)) {
      s.write(plaintext);
    }
    this.ciphertext = body.toByteArray();
  }

  private AesGcmHkdfStreaming tink() throws GeneralSecurityException {
    return new AesGcmHkdfStreaming(key, "HmacSha256", 32, segmentSize, 0);
  }

  @Override
  public long decrypt() throws IOException, GeneralSecurityException {
    long sum = 0;
    try (InputStream in =
        tink().newDecryptingStream(new ByteArrayInputStream(ciphertext), NO_ASSOCIATED_DATA)) {
      int n;
      while ((n = in.read(out)) >= 0) {
        sum += n + out[0];
      }
    }
    return sum;
  }

  @Override
  public long encrypt() throws IOException, GeneralSecurityException {
    CountingSink sink = new CountingSink();
    try (OutputStream s = tink().newEncryptingStream(sink, NO_ASSOCIATED_DATA)) {
      for (int off = 0; off < plaintext.length; off += CryptoThroughput.WRITE_CHUNK) {
        s.write(plaintext, off, Math.min(CryptoThroughput.WRITE_CHUNK, plaintext.length - off));
      }
    }
    return sink.count();
  }
}
