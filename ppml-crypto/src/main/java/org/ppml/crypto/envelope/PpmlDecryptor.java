package org.ppml.crypto.envelope;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.ppml.crypto.IntegrityException;
import org.ppml.crypto.kms.DataKey;
import org.ppml.crypto.provider.CryptoProvider;
import org.ppml.crypto.provider.CryptoProviders;
import org.ppml.crypto.stream.AesGcmHkdfStreaming;
import org.ppml.crypto.stream.CiphertextSource;
import org.ppml.crypto.stream.SeekableDecryptingChannel;

/**
 * Opens PPML v1 files: reads and checks the header, resolves the data key, and returns a decrypting
 * channel or stream over the body.
 */
public final class PpmlDecryptor {
  private final DataKeyResolver keys;
  private final CryptoProvider provider;

  public PpmlDecryptor(DataKeyResolver keys) {
    this(keys, CryptoProviders.active());
  }

  public PpmlDecryptor(DataKeyResolver keys, CryptoProvider provider) {
    this.keys = Objects.requireNonNull(keys);
    this.provider = Objects.requireNonNull(provider);
  }

  /** Reads and validates the header of a random-access file. */
  public static EnvelopeHeader readHeader(CiphertextSource source, String name) throws IOException {
    long size = source.size();
    byte[] block = new byte[(int) Math.min(size, EnvelopeHeader.LENGTH)];
    source.readFully(0, ByteBuffer.wrap(block));
    return EnvelopeHeader.decode(block, name);
  }

  /** Random access to a file's plaintext. */
  public SeekableDecryptingChannel open(CiphertextSource source, String name) throws IOException {
    boolean ok = false;
    try {
      EnvelopeHeader header = readHeader(source, name);
      AesGcmHkdfStreaming streaming = streaming(header, name);
      try {
        SeekableDecryptingChannel channel =
            streaming.newSeekableDecryptingChannel(source, EnvelopeHeader.LENGTH, name);
        ok = true;
        return channel;
      } finally {
        streaming.destroy();
      }
    } finally {
      if (!ok) {
        source.close();
      }
    }
  }

  /** Sequential plaintext of a file read from a stream. */
  public InputStream open(InputStream in, String name) throws IOException {
    byte[] block = in.readNBytes(EnvelopeHeader.LENGTH);
    EnvelopeHeader header = EnvelopeHeader.decode(block, name);
    AesGcmHkdfStreaming streaming = streaming(header, name);
    // The stream derives its segment key when it reads the body header, so the key copy must
    // live until then; it is destroyed when the stream closes.
    InputStream body = streaming.newDecryptingStream(in, name);
    return new java.io.FilterInputStream(body) {
      @Override
      public void close() throws IOException {
        try {
          super.close();
        } finally {
          streaming.destroy();
        }
      }
    };
  }

  private AesGcmHkdfStreaming streaming(EnvelopeHeader header, String name) throws IOException {
    try (DataKey key = keys.resolve(header.kms(), header.wrapped(), name)) {
      if (key == null) {
        throw new IntegrityException(
            name, IntegrityException.HEADER, "no data key for " + header.keyName());
      }
      byte[] bytes = key.keyBytes();
      try {
        return new AesGcmHkdfStreaming(bytes, header.segmentSize(), provider);
      } finally {
        java.util.Arrays.fill(bytes, (byte) 0);
      }
    }
  }
}
