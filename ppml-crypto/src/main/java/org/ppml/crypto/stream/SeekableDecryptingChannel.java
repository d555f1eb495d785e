package org.ppml.crypto.stream;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import org.ppml.crypto.IntegrityException;

/**
 * Random-access decryption of a body: a read-only {@link SeekableByteChannel} over plaintext.
 *
 * <p>{@link #position(long)} costs nothing; the next read decrypts exactly the one segment that
 * holds the new position. The channel keeps one ciphertext and one plaintext segment, so memory per
 * open file is two segments. A read whose destination can take a whole segment at the segment's
 * start decrypts straight into it (when it is a heap buffer), skipping the copy.
 *
 * <p>Every byte returned comes from a segment whose tag verified. The plaintext {@link #size()} is
 * computed from the ciphertext length when the channel opens, with no further I/O.
 *
 * <p>Relative reads and {@link #read(long, ByteBuffer)} may be used from several threads; they
 * share the segment buffers under this channel's lock.
 */
public final class SeekableDecryptingChannel implements SeekableByteChannel {
  private final CiphertextSource source;
  private final long bodyOffset;
  private final long bodyLength;
  private final SegmentLayout layout;
  private final SegmentCipher cipher;
  private final String name;
  private final long plaintextLength;
  private final long segmentCount;
  private final ByteBuffer ciphertext;
  private final ByteBuffer plaintext;
  private long cachedSegment = -1;
  private long position;
  private boolean open = true;

  private SeekableDecryptingChannel(
      CiphertextSource source,
      long bodyOffset,
      long bodyLength,
      SegmentLayout layout,
      SegmentCipher cipher,
      String name) {
    this.source = source;
    this.bodyOffset = bodyOffset;
    this.bodyLength = bodyLength;
    this.layout = layout;
    this.cipher = cipher;
    this.name = name;
    this.plaintextLength = layout.plaintextLength(bodyLength);
    this.segmentCount = layout.segmentCount(bodyLength);
    // Heap buffers: both ACCP and SunJCE run AES-GCM faster on arrays than on direct buffers here
    // (docs/benchmarks.md, "buffer kind").
    this.ciphertext = ByteBuffer.allocate(layout.segmentSize());
    this.plaintext = ByteBuffer.allocate(layout.plaintextSegmentSize());
  }

  /** Opens a body that starts at {@code bodyOffset} in {@code source}; reads its stream header. */
  static SeekableDecryptingChannel open(
      AesGcmHkdfStreaming streaming, CiphertextSource source, long bodyOffset, String name)
      throws IOException {
    SegmentLayout layout = streaming.layout();
    long bodyLength = source.size() - bodyOffset;
    if (bodyLength < 0 || layout.plaintextLength(bodyLength) < 0) {
      long last = Math.max(0, layout.segmentCount(Math.max(bodyLength, 0)) - 1);
      throw new IntegrityException(
          name,
          last,
          "body length " + bodyLength + " is not a valid stream length (truncated or extended)");
    }
    byte[] header = new byte[SegmentLayout.HEADER_LENGTH];
    try {
      source.readFully(bodyOffset, ByteBuffer.wrap(header));
    } catch (EOFException e) {
      throw new IntegrityException(name, 0, "stream header truncated", e);
    }
    StreamHeader parsed = StreamHeader.parse(header);
    if (parsed == null) {
      throw new IntegrityException(name, 0, "stream header length byte is not 40");
    }
    SegmentCipher cipher = streaming.newSegmentCipher(parsed);
    SeekableDecryptingChannel channel =
        new SeekableDecryptingChannel(source, bodyOffset, bodyLength, layout, cipher, name);
    channel.verifyEmptyFinalSegment();
    return channel;
  }

  /**
   * A final segment with no plaintext (an empty file, or a body cut right after a segment's first
   * 16 bytes) holds no offset that a read would ever touch, so its tag is checked here instead;
   * otherwise such a truncation would read as a valid, shorter file.
   */
  private void verifyEmptyFinalSegment() throws IOException {
    long last = segmentCount - 1;
    if (segmentPlaintextSize(last) == 0) {
      plaintext.clear();
      decryptSegment(last, plaintext);
      plaintext.clear().limit(0);
    }
  }

  @Override
  public synchronized int read(ByteBuffer dst) throws IOException {
    int n = readAt(position, dst);
    if (n > 0) {
      position += n;
    }
    return n;
  }

  /**
   * Positional read that leaves {@link #position()} unchanged (Hadoop's {@code
   * PositionedReadable}).
   *
   * @return bytes read, or -1 at or past the end
   */
  public synchronized int read(long at, ByteBuffer dst) throws IOException {
    if (at < 0) {
      throw new IllegalArgumentException("negative position " + at);
    }
    return readAt(at, dst);
  }

  private int readAt(long at, ByteBuffer dst) throws IOException {
    ensureOpen();
    if (at >= plaintextLength) {
      return dst.hasRemaining() ? -1 : 0;
    }
    int total = 0;
    while (dst.hasRemaining() && at < plaintextLength) {
      long segment = layout.segmentOf(at);
      int offsetInSegment = (int) (at - layout.plaintextStart(segment));
      if (segment != cachedSegment) {
        int segmentPlaintext = segmentPlaintextSize(segment);
        if (offsetInSegment == 0 && dst.remaining() >= segmentPlaintext && dst.hasArray()) {
          int n = decryptSegment(segment, dst);
          at += n;
          total += n;
          continue;
        }
        plaintext.clear();
        decryptSegment(segment, plaintext);
        plaintext.flip();
        cachedSegment = segment;
      }
      int n = Math.min(dst.remaining(), plaintext.limit() - offsetInSegment);
      dst.put(plaintext.slice(offsetInSegment, n));
      at += n;
      total += n;
    }
    return total;
  }

  private int segmentPlaintextSize(long segment) {
    return layout.ciphertextSize(segment, bodyLength) - SegmentLayout.TAG_LENGTH;
  }

  /** Reads, authenticates and decrypts one segment into {@code out}. */
  private int decryptSegment(long segment, ByteBuffer out) throws IOException {
    int size = layout.ciphertextSize(segment, bodyLength);
    long at = bodyOffset + layout.ciphertextStart(segment);
    ByteBuffer input = source.view(at, size);
    if (input == null) {
      ciphertext.clear();
      ciphertext.limit(size);
      try {
        source.readFully(at, ciphertext);
      } catch (EOFException e) {
        throw new IntegrityException(
            name, segment, "ciphertext ends early (file truncated while open?)", e);
      }
      ciphertext.flip();
      input = ciphertext;
    }
    boolean last = segment == segmentCount - 1;
    try {
      return cipher.decrypt(segment, last, input, out);
    } catch (AEADBadTagException e) {
      cachedSegment = -1;
      throw new IntegrityException(
          name,
          segment,
          "authentication tag mismatch (tampered, reordered, truncated or wrong key)");
    } catch (GeneralSecurityException e) {
      cachedSegment = -1;
      throw new IntegrityException(name, segment, "decryption failed: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized long position() throws IOException {
    ensureOpen();
    return position;
  }

  /** Moves the read position; no I/O and no decryption until the next read. */
  @Override
  public synchronized SeekableDecryptingChannel position(long newPosition) throws IOException {
    ensureOpen();
    if (newPosition < 0) {
      throw new IllegalArgumentException("negative position " + newPosition);
    }
    position = newPosition;
    return this;
  }

  /** Plaintext length, derived from the ciphertext length alone. */
  @Override
  public long size() {
    return plaintextLength;
  }

  /** Number of ciphertext segments in the body. */
  public long segmentCount() {
    return segmentCount;
  }

  /** The name this channel reports in errors. */
  public String name() {
    return name;
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public SeekableByteChannel truncate(long size) {
    throw new NonWritableChannelException();
  }

  @Override
  public synchronized boolean isOpen() {
    return open;
  }

  @Override
  public synchronized void close() throws IOException {
    if (open) {
      open = false;
      cachedSegment = -1;
      wipe(plaintext);
      source.close();
    }
  }

  private static void wipe(ByteBuffer buffer) {
    buffer.clear();
    while (buffer.remaining() >= 8) {
      buffer.putLong(0L);
    }
    while (buffer.hasRemaining()) {
      buffer.put((byte) 0);
    }
  }

  private void ensureOpen() throws IOException {
    if (!open) {
      throw new ClosedChannelException();
    }
  }
}
