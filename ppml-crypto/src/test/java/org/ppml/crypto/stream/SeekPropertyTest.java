package org.ppml.crypto.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property test: random seeks, relative reads and positional reads agree with a plaintext oracle
 * for random sizes and segment sizes. Each seed is one reproducible case.
 */
class SeekPropertyTest {

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
  void randomSeeksAndReadsMatchThePlaintext(long seed) throws IOException {
    Random random = new Random(seed);
    int segmentSize = 4096 + random.nextInt(3) * 1000 + random.nextInt(17);
    int length = random.nextInt(8 * segmentSize);
    byte[] plaintext = StreamFixtures.randomBytes(random, length);
    AesGcmHkdfStreaming aead =
        new AesGcmHkdfStreaming(StreamFixtures.randomBytes(random, 32), segmentSize);
    byte[] body = StreamFixtures.encrypt(aead, plaintext);

    try (SeekableDecryptingChannel ch =
        aead.newSeekableDecryptingChannel(CiphertextSource.of(ByteBuffer.wrap(body)), 0, "mem")) {
      assertEquals(length, ch.size());
      for (int op = 0; op < 200; op++) {
        long at = random.nextInt(length + 10);
        int want = random.nextInt(2 * segmentSize + 1);
        ByteBuffer dst =
            random.nextBoolean() ? ByteBuffer.allocate(want) : ByteBuffer.allocateDirect(want);
        int n;
        if (random.nextBoolean()) {
          ch.position(at);
          n = ch.read(dst);
          long expectedPos = at + Math.max(n, 0);
          assertEquals(n < 0 ? at : expectedPos, ch.position());
        } else {
          long before = ch.position();
          n = ch.read(at, dst);
          assertEquals(before, ch.position(), "positional read must not move the position");
        }
        int expected = (int) Math.max(0, Math.min(want, length - at));
        if (at >= length) {
          assertEquals(want == 0 ? 0 : -1, n);
          continue;
        }
        assertEquals(expected, n, "bytes read at " + at);
        dst.flip();
        byte[] got = new byte[dst.remaining()];
        dst.get(got);
        assertArrayEquals(
            Arrays.copyOfRange(plaintext, (int) at, (int) at + expected), got, "at " + at);
      }
    }
  }
}
