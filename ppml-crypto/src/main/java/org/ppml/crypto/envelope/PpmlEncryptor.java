package org.ppml.crypto.envelope;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;
import org.ppml.crypto.kms.DataKey;
import org.ppml.crypto.kms.Kms;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.provider.CryptoProvider;
import org.ppml.crypto.provider.CryptoProviders;
import org.ppml.crypto.stream.AesGcmHkdfStreaming;
import org.ppml.crypto.stream.EncryptingOutputStream;

/**
 * Writes PPML v1 files under one data key: one instance per dataset write, many files.
 *
 * <p>Every file gets a fresh salt in its body header, so reusing the data key across files is safe.
 * {@link #close()} zeroes the key.
 */
public final class PpmlEncryptor implements AutoCloseable {
  private final EnvelopeHeader header;
  private final AesGcmHkdfStreaming streaming;

  private PpmlEncryptor(EnvelopeHeader header, byte[] dataKey, CryptoProvider provider) {
    this.header = header;
    this.streaming = new AesGcmHkdfStreaming(dataKey, header.segmentSize(), provider);
  }

  /** Asks {@code kms} for a new data key under {@code keyName}. */
  public static PpmlEncryptor create(Kms kms, String keyName, int segmentSize) throws KmsException {
    try (DataKey key = kms.generateDataKey(keyName)) {
      return forDataKey(key, kms.reference(), segmentSize);
    }
  }

  /** Uses an existing data key, e.g. one released to an executor. */
  public static PpmlEncryptor forDataKey(DataKey key, String kmsReference, int segmentSize) {
    byte[] bytes = key.keyBytes();
    try {
      return new PpmlEncryptor(
          EnvelopeHeader.of(segmentSize, kmsReference, key.wrapped()),
          bytes,
          CryptoProviders.active());
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /** The header every file of this encryptor starts with. */
  public EnvelopeHeader header() {
    return header;
  }

  /** Writes the header to {@code out} and returns the stream for the plaintext. */
  public EncryptingOutputStream encrypt(OutputStream out) throws IOException {
    out.write(header.encode());
    return streaming.newEncryptingStream(out);
  }

  /** Writes the header to {@code out} and returns the stream for the plaintext. */
  public EncryptingOutputStream encrypt(WritableByteChannel out) throws IOException {
    ByteBuffer h = ByteBuffer.wrap(header.encode());
    while (h.hasRemaining()) {
      out.write(h);
    }
    return streaming.newEncryptingStream(out);
  }

  @Override
  public void close() {
    streaming.destroy();
  }

  @Override
  public String toString() {
    return "PpmlEncryptor[" + header + "]";
  }
}
