package org.ppml.crypto.stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.WritableByteChannel;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.security.auth.Destroyable;
import org.ppml.crypto.SecretBytes;
import org.ppml.crypto.provider.CryptoProvider;
import org.ppml.crypto.provider.CryptoProviders;

/**
 * The streaming AEAD primitive of the PPML v1 body, keyed by one data key.
 *
 * <p>Byte-compatible with Tink's {@code AesGcmHkdfStreaming} (HKDF-SHA256, 32-byte key, {@code
 * firstSegmentOffset = 0}, empty associated data): the format is documented in this package's
 * {@code package-info.java}. Each new stream draws a fresh salt, so one data key safely encrypts
 * many files.
 *
 * <p>Holds a copy of the key; {@link #destroy()} zeroes it.
 */
public final class AesGcmHkdfStreaming implements Destroyable {
  private static final int KEY_LENGTH = 32;

  private final SecretBytes ikm;
  private final SegmentLayout layout;
  private final CryptoProvider provider;

  /** With the active provider. */
  public AesGcmHkdfStreaming(byte[] dataKey, int segmentSize) {
    this(dataKey, segmentSize, CryptoProviders.active());
  }

  public AesGcmHkdfStreaming(byte[] dataKey, int segmentSize, CryptoProvider provider) {
    if (dataKey == null || dataKey.length != KEY_LENGTH) {
      throw new IllegalArgumentException("data key must be 32 bytes");
    }
    this.ikm = SecretBytes.copyOf(dataKey);
    this.layout = SegmentLayout.of(segmentSize);
    this.provider = provider;
  }

  public SegmentLayout layout() {
    return layout;
  }

  public CryptoProvider provider() {
    return provider;
  }

  /** Encrypts into a stream; the 40-byte stream header is written immediately. */
  public EncryptingOutputStream newEncryptingStream(OutputStream out) throws IOException {
    StreamHeader header = StreamHeader.random();
    return new EncryptingOutputStream(layout, newSegmentCipher(header), header.encode(), out, null);
  }

  /** Encrypts into a channel; the 40-byte stream header is written immediately. */
  public EncryptingOutputStream newEncryptingStream(WritableByteChannel out) throws IOException {
    StreamHeader header = StreamHeader.random();
    return new EncryptingOutputStream(layout, newSegmentCipher(header), header.encode(), null, out);
  }

  /**
   * Opens a body for random access.
   *
   * @param bodyOffset where the body starts in {@code source} (1024 for a PPML file)
   * @param name the file name reported in errors
   */
  public SeekableDecryptingChannel newSeekableDecryptingChannel(
      CiphertextSource source, long bodyOffset, String name) throws IOException {
    return SeekableDecryptingChannel.open(this, source, bodyOffset, name);
  }

  /** Decrypts a body read sequentially from {@code in}, positioned at the body's first byte. */
  public InputStream newDecryptingStream(InputStream in, String name) {
    return new DecryptingInputStream(this, in, name);
  }

  SegmentCipher newSegmentCipher(StreamHeader header) throws IOException {
    byte[] key = ikm.copy();
    try {
      return SegmentCipher.create(provider, key, header.salt(), header.noncePrefix());
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot initialise AES-GCM with " + provider.description(), e);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  @Override
  public void destroy() {
    ikm.destroy();
  }

  @Override
  public boolean isDestroyed() {
    return ikm.isDestroyed();
  }

  @Override
  public String toString() {
    return "AesGcmHkdfStreaming[segmentSize=" + layout.segmentSize() + ", " + provider.kind() + "]";
  }
}
