package org.ppml.crypto.stream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import org.ppml.crypto.provider.CryptoProvider;

/** Encrypt/decrypt helpers shared by the stream tests. */
final class StreamFixtures {
  private StreamFixtures() {}

  static byte[] randomBytes(Random random, int length) {
    byte[] b = new byte[length];
    random.nextBytes(b);
    return b;
  }

  static byte[] encrypt(AesGcmHkdfStreaming aead, byte[] plaintext) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (EncryptingOutputStream enc = aead.newEncryptingStream(out)) {
      enc.write(plaintext);
    }
    return out.toByteArray();
  }

  static byte[] decryptSeekable(AesGcmHkdfStreaming aead, byte[] body) throws IOException {
    try (SeekableDecryptingChannel ch =
        aead.newSeekableDecryptingChannel(CiphertextSource.of(ByteBuffer.wrap(body)), 0, "mem")) {
      ByteBuffer out = ByteBuffer.allocate((int) ch.size());
      while (out.hasRemaining() && ch.read(out) >= 0) {}
      return out.array();
    }
  }

  static byte[] decryptSequential(AesGcmHkdfStreaming aead, byte[] body) throws IOException {
    try (InputStream in = aead.newDecryptingStream(new java.io.ByteArrayInputStream(body), "mem")) {
      return in.readAllBytes();
    }
  }

  static AesGcmHkdfStreaming aead(byte[] key, int segmentSize, CryptoProvider provider) {
    return new AesGcmHkdfStreaming(key, segmentSize, provider);
  }
}
