package org.ppml.crypto.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.security.GeneralSecurityException;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tink's own AesGcmHkdfStreaming is the oracle for the body format, in both directions. */
class TinkInteropTest {
  private static com.google.crypto.tink.subtle.AesGcmHkdfStreaming tink(byte[] key, int segmentSize)
      throws GeneralSecurityException {
    return new com.google.crypto.tink.subtle.AesGcmHkdfStreaming(
        key, "HmacSha256", 32, segmentSize, 0);
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, 4039, 4040, 4041, 8120, 8121, 50_000, 262_087, 700_001})
  void ourBodyDecryptsWithTink(int size) throws Exception {
    Random random = new Random(size);
    byte[] key = StreamFixtures.randomBytes(random, 32);
    byte[] plaintext = StreamFixtures.randomBytes(random, size);
    int segmentSize = size > 100_000 ? SegmentLayout.DEFAULT_SEGMENT_SIZE : 4096;
    byte[] body = StreamFixtures.encrypt(new AesGcmHkdfStreaming(key, segmentSize), plaintext);

    try (InputStream in =
        tink(key, segmentSize)
            .newDecryptingStream(new java.io.ByteArrayInputStream(body), new byte[0])) {
      assertArrayEquals(plaintext, in.readAllBytes());
    }
    // Tink's seekable reader too, which checks the length arithmetic independently.
    java.nio.file.Path file = java.nio.file.Files.createTempFile("tink-interop", ".bin");
    java.nio.file.Files.write(file, body);
    try (SeekableByteChannel ch =
        tink(key, segmentSize)
            .newSeekableDecryptingChannel(java.nio.channels.FileChannel.open(file), new byte[0])) {
      ByteBuffer out = ByteBuffer.allocate(size);
      while (out.hasRemaining() && ch.read(out) >= 0) {}
      assertArrayEquals(plaintext, out.array());
    } finally {
      java.nio.file.Files.delete(file);
    }
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, 4039, 4040, 4041, 8120, 8121, 50_000, 262_087, 700_001})
  void tinkBodyDecryptsWithOurs(int size) throws Exception {
    Random random = new Random(~size);
    byte[] key = StreamFixtures.randomBytes(random, 32);
    byte[] plaintext = StreamFixtures.randomBytes(random, size);
    int segmentSize = size > 100_000 ? SegmentLayout.DEFAULT_SEGMENT_SIZE : 4096;
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream out = tink(key, segmentSize).newEncryptingStream(sink, new byte[0])) {
      out.write(plaintext);
    }
    byte[] body = sink.toByteArray();
    AesGcmHkdfStreaming ours = new AesGcmHkdfStreaming(key, segmentSize);
    assertArrayEquals(plaintext, StreamFixtures.decryptSeekable(ours, body));
    assertArrayEquals(plaintext, StreamFixtures.decryptSequential(ours, body));
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, 4040, 100_000})
  void ciphertextLengthsAgreeWithTink(int size) throws IOException, GeneralSecurityException {
    byte[] key = new byte[32];
    int segmentSize = 4096;
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream out = tink(key, segmentSize).newEncryptingStream(sink, new byte[0])) {
      out.write(new byte[size]);
    }
    org.junit.jupiter.api.Assertions.assertEquals(
        sink.size(), SegmentLayout.of(segmentSize).ciphertextLength(size));
  }
}
