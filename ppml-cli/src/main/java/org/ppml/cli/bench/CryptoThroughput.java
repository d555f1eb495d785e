package org.ppml.cli.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.ppml.crypto.provider.CryptoProvider;
import org.ppml.crypto.stream.CiphertextSource;
import org.ppml.crypto.stream.EncryptingOutputStream;
import org.ppml.crypto.stream.SeekableDecryptingChannel;
import org.ppml.crypto.stream.SegmentLayout;

/**
 * The measured kernels of the crypto benchmark, over one in-memory data set:
 *
 * <ul>
 *   <li>(a) raw: {@code Cipher} AES-256-GCM, one {@code doFinal} per 256 KiB segment, same provider
 *       and buffer kind as our reader;
 *   <li>(b) stream: our {@code SeekableDecryptingChannel} / {@code EncryptingOutputStream};
 *   <li>(c) Tink: {@code AesGcmHkdfStreaming} from Tink, with the same provider installed first,
 *       when Tink is on the class path ({@link TinkBaseline}).
 * </ul>
 *
 * Each kernel returns a checksum so the JIT cannot drop the work.
 */
public final class CryptoThroughput implements AutoCloseable {
  /** Segment size of every kernel: the PPML default. */
  public static final int SEGMENT = SegmentLayout.DEFAULT_SEGMENT_SIZE;

  /** Encrypt kernels write in chunks of this size, as a file copy would. */
  static final int WRITE_CHUNK = 4 * SEGMENT;

  private final CryptoProvider provider;
  private final byte[] key = new byte[32];
  private final SecretKeySpec rawKey;
  private final byte[] plaintext;
  private final ByteBuffer plaintextBuffer;
  // (a) raw segments, each sealed separately
  private final ByteBuffer rawCiphertext;
  private final int rawSegments;
  private final ByteBuffer rawOut;
  // (b) our body
  private final ByteBuffer streamCiphertext;
  private final ByteBuffer streamOut;
  // (c) Tink, when it is on the class path
  private final Optional<TinkBaseline.Kernels> tink;
  private final Provider installed;
  private int encryptRound;

  /**
   * @param provider the provider to measure; it is also installed first in the JCA list for the
   *     lifetime of this object, so that Tink (which asks the JCA by name) uses it too
   * @param plaintextBytes data set size
   */
  public CryptoThroughput(CryptoProvider provider, int plaintextBytes)
      throws IOException, GeneralSecurityException {
    this(provider, plaintextBytes, CryptoThroughput.class.getClassLoader());
  }

  /** As above, looking for Tink through {@code tinkLoader} (tests pass one that hides it). */
  CryptoThroughput(CryptoProvider provider, int plaintextBytes, ClassLoader tinkLoader)
      throws IOException, GeneralSecurityException {
    this.provider = provider;
    SecureRandom random = new SecureRandom();
    random.nextBytes(key);
    rawKey = new SecretKeySpec(key, "AES");
    plaintext = new byte[plaintextBytes];
    random.nextBytes(plaintext);
    plaintextBuffer = allocate(plaintextBytes);
    plaintextBuffer.put(plaintext).flip();

    int segmentPlaintext = SEGMENT - 16;
    rawSegments = (plaintextBytes + segmentPlaintext - 1) / segmentPlaintext;
    rawCiphertext = allocate(rawSegments * SEGMENT);
    rawOut = allocate(SEGMENT);
    Cipher cipher = provider.newAesGcm();
    for (int s = 0; s < rawSegments; s++) {
      ByteBuffer in = plaintextBuffer.duplicate();
      in.position(s * segmentPlaintext).limit(Math.min(plaintextBytes, (s + 1) * segmentPlaintext));
      cipher.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, nonce(s)));
      rawCiphertext.position(s * SEGMENT);
      cipher.doFinal(in, rawCiphertext);
    }

    org.ppml.crypto.stream.AesGcmHkdfStreaming ours = ours();
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    try (EncryptingOutputStream out = ours.newEncryptingStream(body)) {
      out.write(plaintext);
    }
    streamCiphertext = allocate(body.size());
    streamCiphertext.put(body.toByteArray()).flip();
    streamOut = allocate(4 * SEGMENT);

    installed = provider.jcaProvider();
    if (provider.kind() == CryptoProvider.Kind.ACCP) {
      Security.insertProviderAt(installed, 1);
    }
    tink = TinkBaseline.load(tinkLoader, key, SEGMENT, plaintext);
  }

  private static ByteBuffer allocate(int size) {
    return ByteBuffer.allocate(size);
  }

  private static byte[] nonce(int segment) {
    byte[] n = new byte[12];
    n[8] = (byte) segment;
    n[9] = (byte) (segment >>> 8);
    n[10] = (byte) (segment >>> 16);
    return n;
  }

  private org.ppml.crypto.stream.AesGcmHkdfStreaming ours() {
    return new org.ppml.crypto.stream.AesGcmHkdfStreaming(key, SEGMENT, provider);
  }

  /** Plaintext bytes each kernel processes. */
  public long bytes() {
    return plaintext.length;
  }

  public CryptoProvider provider() {
    return provider;
  }

  /** Whether kernel (c) can run: Tink is on the class path. */
  public boolean hasTink() {
    return tink.isPresent();
  }

  /** (a) decrypt: raw {@code Cipher}, one segment per {@code doFinal}. */
  public long rawDecrypt() throws GeneralSecurityException {
    Cipher cipher = provider.newAesGcm();
    long sum = 0;
    int segmentPlaintext = SEGMENT - 16;
    for (int s = 0; s < rawSegments; s++) {
      ByteBuffer in = rawCiphertext.duplicate();
      int length = Math.min(plaintext.length - s * segmentPlaintext, segmentPlaintext) + 16;
      in.position(s * SEGMENT).limit(s * SEGMENT + length);
      rawOut.clear();
      cipher.init(Cipher.DECRYPT_MODE, rawKey, new GCMParameterSpec(128, nonce(s)));
      sum += cipher.doFinal(in, rawOut);
      sum += rawOut.get(0);
    }
    return sum;
  }

  /** (a) encrypt: raw {@code Cipher}, one segment per {@code doFinal}. */
  public long rawEncrypt() throws GeneralSecurityException {
    Cipher cipher = provider.newAesGcm();
    long sum = 0;
    int segmentPlaintext = SEGMENT - 16;
    // A fresh nonce range per call: providers refuse to encrypt twice under one key and nonce.
    int base = ++encryptRound * rawSegments;
    for (int s = 0; s < rawSegments; s++) {
      ByteBuffer in = plaintextBuffer.duplicate();
      in.position(s * segmentPlaintext)
          .limit(Math.min(plaintext.length, (s + 1) * segmentPlaintext));
      rawOut.clear();
      cipher.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, nonce(base + s)));
      sum += cipher.doFinal(in, rawOut);
    }
    return sum;
  }

  /** (b) decrypt: our seekable channel over the in-memory body, read in 1 MiB chunks. */
  public long streamDecrypt() throws IOException {
    org.ppml.crypto.stream.AesGcmHkdfStreaming ours = ours();
    long sum = 0;
    try (SeekableDecryptingChannel ch =
        ours.newSeekableDecryptingChannel(
            CiphertextSource.of(streamCiphertext.duplicate()), 0, "bench")) {
      int n;
      while (true) {
        streamOut.clear();
        n = ch.read(streamOut);
        if (n < 0) {
          break;
        }
        sum += n + streamOut.get(0);
      }
    } finally {
      ours.destroy();
    }
    return sum;
  }

  /** (b) encrypt: our encrypting stream into a discarding sink, written in 1 MiB chunks. */
  public long streamEncrypt() throws IOException {
    org.ppml.crypto.stream.AesGcmHkdfStreaming ours = ours();
    CountingSink sink = new CountingSink();
    try (EncryptingOutputStream out = ours.newEncryptingStream(sink)) {
      for (int off = 0; off < plaintext.length; off += WRITE_CHUNK) {
        out.write(plaintext, off, Math.min(WRITE_CHUNK, plaintext.length - off));
      }
    } finally {
      ours.destroy();
    }
    return sink.count();
  }

  /**
   * (c) decrypt: Tink's decrypting stream.
   *
   * @throws IllegalStateException when Tink is not on the class path ({@link #hasTink()})
   */
  public long tinkDecrypt() throws IOException, GeneralSecurityException {
    return tinkKernels().decrypt();
  }

  /**
   * (c) encrypt: Tink's encrypting stream into a discarding sink.
   *
   * @throws IllegalStateException when Tink is not on the class path ({@link #hasTink()})
   */
  public long tinkEncrypt() throws IOException, GeneralSecurityException {
    return tinkKernels().encrypt();
  }

  private TinkBaseline.Kernels tinkKernels() {
    return tink.orElseThrow(() -> new IllegalStateException(TinkBaseline.UNAVAILABLE));
  }

  @Override
  public void close() {
    if (provider.kind() == CryptoProvider.Kind.ACCP) {
      Security.removeProvider(installed.getName());
    }
  }
}
