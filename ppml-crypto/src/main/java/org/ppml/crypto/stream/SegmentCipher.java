package org.ppml.crypto.stream;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.ppml.crypto.CryptoCounters;
import org.ppml.crypto.provider.CryptoProvider;

/**
 * AES-256-GCM over one segment at a time, with the per-stream key and nonce prefix.
 *
 * <p>One instance serves one open stream and is not thread-safe: it reuses a single {@link Cipher}
 * and nonce array so the hot path allocates only the GCM parameter object.
 */
final class SegmentCipher {
  private static final int NONCE_LENGTH = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final Cipher cipher;
  private final byte[] nonce = new byte[NONCE_LENGTH];

  private SegmentCipher(SecretKeySpec key, Cipher cipher, byte[] noncePrefix) {
    this.key = key;
    this.cipher = cipher;
    System.arraycopy(noncePrefix, 0, nonce, 0, SegmentLayout.NONCE_PREFIX_LENGTH);
  }

  /** Derives the stream key HKDF-SHA256(ikm, salt, info = empty) and binds the nonce prefix. */
  static SegmentCipher create(CryptoProvider provider, byte[] ikm, byte[] salt, byte[] noncePrefix)
      throws GeneralSecurityException {
    byte[] derived = new byte[32];
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(ikm, salt, new byte[0]));
    hkdf.generateBytes(derived, 0, derived.length);
    try {
      return new SegmentCipher(
          new SecretKeySpec(derived, "AES"), provider.newAesGcm(), noncePrefix);
    } finally {
      Arrays.fill(derived, (byte) 0);
    }
  }

  /** Encrypts {@code plaintext.remaining()} bytes into {@code out}; returns bytes written. */
  int encrypt(long segment, boolean last, ByteBuffer plaintext, ByteBuffer out)
      throws GeneralSecurityException {
    cipher.init(Cipher.ENCRYPT_MODE, key, parameters(segment, last));
    int plaintextBytes = plaintext.remaining();
    int written = cipher.doFinal(plaintext, out);
    CryptoCounters.segmentEncrypted(plaintextBytes);
    return written;
  }

  /**
   * Decrypts and authenticates one segment into {@code out}.
   *
   * <p>On a bad tag the bytes the provider may already have placed in {@code out} are zeroed before
   * the exception propagates, so no caller can observe unauthenticated plaintext.
   */
  int decrypt(long segment, boolean last, ByteBuffer ciphertext, ByteBuffer out)
      throws GeneralSecurityException {
    int start = out.position();
    int expected = ciphertext.remaining() - SegmentLayout.TAG_LENGTH;
    try {
      cipher.init(Cipher.DECRYPT_MODE, key, parameters(segment, last));
      int n = cipher.doFinal(ciphertext, out);
      CryptoCounters.segmentDecrypted(n);
      return n;
    } catch (AEADBadTagException e) {
      wipe(out, start, Math.max(expected, out.position() - start));
      throw e;
    }
  }

  private GCMParameterSpec parameters(long segment, boolean last) {
    if (segment < 0 || segment > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("segment index out of range: " + segment);
    }
    int p = SegmentLayout.NONCE_PREFIX_LENGTH;
    nonce[p] = (byte) (segment >>> 24);
    nonce[p + 1] = (byte) (segment >>> 16);
    nonce[p + 2] = (byte) (segment >>> 8);
    nonce[p + 3] = (byte) segment;
    nonce[p + 4] = (byte) (last ? 1 : 0);
    return new GCMParameterSpec(TAG_BITS, nonce);
  }

  private static void wipe(ByteBuffer out, int start, int length) {
    int end = Math.min(out.capacity(), start + Math.max(0, length));
    for (int i = start; i < end; i++) {
      out.put(i, (byte) 0);
    }
    out.position(start);
  }
}
