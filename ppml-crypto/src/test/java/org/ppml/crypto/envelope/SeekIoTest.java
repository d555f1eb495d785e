package org.ppml.crypto.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.crypto.kms.local.LocalKms;
import org.ppml.crypto.stream.CiphertextSource;
import org.ppml.crypto.stream.SeekableDecryptingChannel;
import org.ppml.crypto.stream.SegmentLayout;
import org.ppml.crypto.testing.TestKeyStores;

/**
 * What the seekable reader reads from storage, counted at the {@link CiphertextSource} boundary
 * over a real file: opening reads the 1024-byte envelope header and the 40-byte stream header once
 * each; the plaintext length needs no read; a seek reads nothing; and the read after it fetches
 * exactly the one segment that holds the new position, and nothing else.
 */
class SeekIoTest {
  private static final int SEGMENT = 4096;
  private static final SegmentLayout LAYOUT = SegmentLayout.of(SEGMENT);

  @TempDir Path dir;
  private LocalKms kms;
  private byte[] plaintext;
  private Path path;

  /** One {@code readFully} call: where, and how many bytes. */
  private record Read(long position, int length) {}

  /** The real file source, counting every call that reaches storage. */
  private static final class CountingSource implements CiphertextSource {
    private final CiphertextSource file;
    final List<Read> reads = new ArrayList<>();
    int sizeCalls;

    CountingSource(Path path) throws IOException {
      this.file = CiphertextSource.of(FileChannel.open(path));
    }

    @Override
    public long size() throws IOException {
      sizeCalls++;
      return file.size();
    }

    @Override
    public void readFully(long position, ByteBuffer dst) throws IOException {
      reads.add(new Read(position, dst.remaining()));
      file.readFully(position, dst);
    }

    // view() keeps its default (null), as for any file: every byte the reader wants is a readFully.

    @Override
    public void close() throws IOException {
      file.close();
    }
  }

  @BeforeEach
  void writeFile() throws IOException {
    kms = TestKeyStores.withKeys(dir, "k");
    // Ten segments and a partial eleventh, so the last segment holds plaintext.
    plaintext =
        new byte[LAYOUT.firstPlaintextSegmentSize() + 9 * LAYOUT.plaintextSegmentSize() + 123];
    new Random(7).nextBytes(plaintext);
    path = dir.resolve("f.ppml");
    try (PpmlEncryptor enc = PpmlEncryptor.create(kms, "k", SEGMENT);
        OutputStream out = enc.encrypt(Files.newOutputStream(path))) {
      out.write(plaintext);
    }
  }

  private SeekableDecryptingChannel open(CountingSource source) throws IOException {
    return new PpmlDecryptor(new KmsKeyResolver(kms)).open(source, "f.ppml");
  }

  private static Read segmentRead(long segment, long bodyLength) {
    return new Read(
        EnvelopeHeader.LENGTH + LAYOUT.ciphertextStart(segment),
        LAYOUT.ciphertextSize(segment, bodyLength));
  }

  @Test
  void openingReadsTheTwoHeadersOnceAndTheLengthNeedsNoRead() throws IOException {
    long fileLength = Files.size(path);
    // The listing case: the plaintext length from the file length alone, without opening anything.
    assertEquals(plaintext.length, PpmlFileLayout.plaintextLength(fileLength, SEGMENT));

    CountingSource source = new CountingSource(path);
    try (SeekableDecryptingChannel ch = open(source)) {
      assertEquals(
          List.of(
              new Read(0, EnvelopeHeader.LENGTH),
              new Read(EnvelopeHeader.LENGTH, SegmentLayout.HEADER_LENGTH)),
          source.reads,
          "open reads the envelope header, then the stream header");
      source.reads.clear();
      int sizeCallsAtOpen = source.sizeCalls;

      assertEquals(plaintext.length, ch.size());
      assertEquals(11, ch.segmentCount());
      assertEquals(List.of(), source.reads, "size() reads nothing");
      assertEquals(
          sizeCallsAtOpen,
          source.sizeCalls,
          "size() does not even ask the source for its length again");
    }
  }

  @Test
  void aSeekReadsNothingAndTheNextReadFetchesExactlyOneSegment() throws IOException {
    long bodyLength = Files.size(path) - EnvelopeHeader.LENGTH;
    CountingSource source = new CountingSource(path);
    try (SeekableDecryptingChannel ch = open(source)) {
      long[] targets = {
        0,
        LAYOUT.firstPlaintextSegmentSize() - 1,
        LAYOUT.firstPlaintextSegmentSize(),
        LAYOUT.plaintextStart(5) + 1000,
        LAYOUT.plaintextStart(10),
        plaintext.length - 1,
        17,
      };
      long decrypted = -1;
      for (long at : targets) {
        source.reads.clear();
        ch.position(at);
        assertEquals(List.of(), source.reads, "seek to " + at + " reads nothing");

        ByteBuffer one = ByteBuffer.allocate(1);
        assertEquals(1, ch.read(one));
        assertEquals(plaintext[(int) at], one.get(0), "byte at " + at);
        long segment = LAYOUT.segmentOf(at);
        // Exactly the segment's ciphertext, unless that segment is the one last decrypted.
        assertEquals(
            segment == decrypted ? List.of() : List.of(segmentRead(segment, bodyLength)),
            source.reads,
            "reading one byte at "
                + at
                + " (segment "
                + segment
                + ", last decrypted "
                + decrypted
                + ")");
        decrypted = segment;

        // The next byte of the same segment comes from the decrypted segment: no further read.
        if (at + 1 < plaintext.length && LAYOUT.segmentOf(at + 1) == segment) {
          int readsSoFar = source.reads.size();
          assertEquals(1, ch.read(one.clear()));
          assertEquals(plaintext[(int) at + 1], one.get(0));
          assertEquals(readsSoFar, source.reads.size(), "same segment, no new read");
        }
      }
    }
  }

  @Test
  void aPositionalReadFetchesExactlyOneSegment() throws IOException {
    long bodyLength = Files.size(path) - EnvelopeHeader.LENGTH;
    CountingSource source = new CountingSource(path);
    try (SeekableDecryptingChannel ch = open(source)) {
      source.reads.clear();
      long at = LAYOUT.plaintextStart(7) + 42;
      ByteBuffer one = ByteBuffer.allocate(1);
      assertEquals(1, ch.read(at, one));
      assertEquals(plaintext[(int) at], one.get(0));
      assertEquals(List.of(segmentRead(7, bodyLength)), source.reads);
      assertEquals(0, ch.position(), "a positional read leaves the position alone");
    }
  }

  @Test
  void aWholeFileReadFetchesEachSegmentOnce() throws IOException {
    long bodyLength = Files.size(path) - EnvelopeHeader.LENGTH;
    for (boolean direct : new boolean[] {false, true}) {
      CountingSource source = new CountingSource(path);
      try (SeekableDecryptingChannel ch = open(source)) {
        source.reads.clear();
        ByteBuffer all =
            direct
                ? ByteBuffer.allocateDirect(plaintext.length)
                : ByteBuffer.allocate(plaintext.length);
        while (all.hasRemaining() && ch.read(all) >= 0) {}
        byte[] got = new byte[plaintext.length];
        all.flip().get(got);
        assertArrayEquals(plaintext, got);
        List<Read> expected = new ArrayList<>();
        for (long s = 0; s < ch.segmentCount(); s++) {
          expected.add(segmentRead(s, bodyLength));
        }
        assertEquals(expected, source.reads, direct ? "direct buffer" : "heap buffer");

        // A heap buffer that takes whole segments gets them decrypted straight into it, so the
        // reader keeps no copy and reading the last byte again decrypts its segment again. A
        // direct buffer is filled from the reader's own segment buffer, which still holds it.
        source.reads.clear();
        ch.position(plaintext.length - 1);
        ch.read(ByteBuffer.allocate(1));
        assertEquals(
            direct ? List.of() : List.of(segmentRead(ch.segmentCount() - 1, bodyLength)),
            source.reads,
            direct
                ? "direct buffer: last segment still cached"
                : "heap buffer: zero-copy, nothing cached");
      }
    }
  }
}
