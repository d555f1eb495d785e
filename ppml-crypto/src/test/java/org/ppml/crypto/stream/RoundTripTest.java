package org.ppml.crypto.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ppml.crypto.provider.CryptoProvider;
import org.ppml.crypto.provider.CryptoProviders;

class RoundTripTest {
  private static final int SEGMENT = 4096;

  static List<CryptoProvider> providers() {
    List<CryptoProvider> p = new ArrayList<>();
    p.add(CryptoProviders.jdk());
    CryptoProviders.accp().ifPresent(p::add);
    return p;
  }

  static Stream<Arguments> sizes() {
    SegmentLayout l = SegmentLayout.of(SEGMENT);
    int first = l.firstPlaintextSegmentSize();
    int full = l.plaintextSegmentSize();
    int[] sizes = {
      0,
      1,
      first - 1,
      first,
      first + 1,
      first + full - 1,
      first + full,
      first + full + 1,
      first + 5 * full + 777,
      SEGMENT - 1,
      SEGMENT,
      SEGMENT + 1
    };
    List<Arguments> args = new ArrayList<>();
    for (CryptoProvider p : providers()) {
      for (int s : sizes) {
        args.add(Arguments.of(p, s));
      }
    }
    return args.stream();
  }

  @ParameterizedTest(name = "{0} size {1}")
  @MethodSource("sizes")
  void roundTripsThroughBothReadersWithExactLengths(CryptoProvider provider, int size)
      throws IOException {
    Random random = new Random(size);
    byte[] key = StreamFixtures.randomBytes(random, 32);
    byte[] plaintext = StreamFixtures.randomBytes(random, size);
    AesGcmHkdfStreaming aead = StreamFixtures.aead(key, SEGMENT, provider);

    byte[] body = StreamFixtures.encrypt(aead, plaintext);

    assertEquals(aead.layout().ciphertextLength(size), body.length);
    assertEquals(size, aead.layout().plaintextLength(body.length));
    assertArrayEquals(plaintext, StreamFixtures.decryptSeekable(aead, body));
    assertArrayEquals(plaintext, StreamFixtures.decryptSequential(aead, body));
  }

  @Test
  void channelWriterAndFileChannelReaderAgreeWithStreams(@TempDir Path dir) throws IOException {
    Random random = new Random(7);
    byte[] plaintext = StreamFixtures.randomBytes(random, 100_000);
    AesGcmHkdfStreaming aead =
        new AesGcmHkdfStreaming(StreamFixtures.randomBytes(random, 32), SEGMENT);
    Path file = dir.resolve("body");
    try (FileChannel ch =
            FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        EncryptingOutputStream enc = aead.newEncryptingStream(ch)) {
      // Odd write sizes cross segment boundaries in every way.
      int off = 0;
      int step = 1;
      while (off < plaintext.length) {
        int n = Math.min(step, plaintext.length - off);
        enc.write(plaintext, off, n);
        off += n;
        step = step * 3 % 9_001 + 1;
        assertEquals(off, enc.getPos());
      }
    }
    try (SeekableDecryptingChannel ch =
        aead.newSeekableDecryptingChannel(
            CiphertextSource.of(FileChannel.open(file)), 0, file.toString())) {
      assertEquals(plaintext.length, ch.size());
      ByteArrayOutputStream sink = new ByteArrayOutputStream();
      Channels.newInputStream(ch).transferTo(sink);
      assertArrayEquals(plaintext, sink.toByteArray());
    }
    assertArrayEquals(plaintext, StreamFixtures.decryptSequential(aead, Files.readAllBytes(file)));
  }

  @Test
  void singleByteWritesProduceTheSameLayout() throws IOException {
    Random random = new Random(3);
    byte[] plaintext = StreamFixtures.randomBytes(random, 3 * SEGMENT);
    AesGcmHkdfStreaming aead =
        new AesGcmHkdfStreaming(StreamFixtures.randomBytes(random, 32), SEGMENT);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (EncryptingOutputStream enc = aead.newEncryptingStream(out)) {
      for (byte b : plaintext) {
        enc.write(b);
      }
    }
    assertEquals(aead.layout().ciphertextLength(plaintext.length), out.size());
    assertArrayEquals(plaintext, StreamFixtures.decryptSeekable(aead, out.toByteArray()));
  }

  @Test
  void defaultSegmentSizeRoundTrips() throws IOException {
    Random random = new Random(11);
    byte[] plaintext =
        StreamFixtures.randomBytes(random, 3 * SegmentLayout.DEFAULT_SEGMENT_SIZE + 5);
    AesGcmHkdfStreaming aead =
        new AesGcmHkdfStreaming(
            StreamFixtures.randomBytes(random, 32), SegmentLayout.DEFAULT_SEGMENT_SIZE);
    byte[] body = StreamFixtures.encrypt(aead, plaintext);
    assertEquals(4, aead.layout().segmentCount(body.length));
    assertArrayEquals(plaintext, StreamFixtures.decryptSeekable(aead, body));
  }

  /**
   * A direct destination never takes the zero-copy path (decrypting straight into the caller's
   * buffer needs an array): it is filled through the reader's heap segment buffer, segment by
   * segment. {@code SeekIoTest.aWholeFileReadFetchesEachSegmentOnce} shows which path each buffer
   * kind takes; here the direct buffer's contents must match, with every provider.
   */
  @Test
  void readIntoOneLargeDirectBufferMatches() throws IOException {
    Random random = new Random(5);
    byte[] plaintext = StreamFixtures.randomBytes(random, 10 * SEGMENT + 3);
    for (CryptoProvider provider : providers()) {
      AesGcmHkdfStreaming aead =
          StreamFixtures.aead(StreamFixtures.randomBytes(random, 32), SEGMENT, provider);
      byte[] body = StreamFixtures.encrypt(aead, plaintext);
      try (SeekableDecryptingChannel ch =
          aead.newSeekableDecryptingChannel(CiphertextSource.of(ByteBuffer.wrap(body)), 0, "mem")) {
        ByteBuffer out = ByteBuffer.allocateDirect(plaintext.length);
        while (out.hasRemaining()) {
          ch.read(out);
        }
        out.flip();
        byte[] got = new byte[out.remaining()];
        out.get(got);
        assertArrayEquals(plaintext, got, provider.toString());
      }
    }
  }
}
