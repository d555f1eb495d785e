package org.ppml.crypto.stream;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;

/**
 * Random-access ciphertext for the seekable reader.
 *
 * <p>A narrow seam so the reader stays free of Hadoop types: the Spark module implements it over
 * {@code FSDataInputStream}'s positioned reads, this package over NIO channels and memory.
 */
public interface CiphertextSource extends Closeable {
  /** Total length in bytes. Called once, when a reader opens. */
  long size() throws IOException;

  /**
   * Fills {@code dst} completely from {@code position}.
   *
   * @throws EOFException if the source ends first
   */
  void readFully(long position, ByteBuffer dst) throws IOException;

  /**
   * The bytes at {@code [position, position + length)} as a read-only heap buffer without copying,
   * or null when this source cannot share its storage (the reader then copies with {@link
   * #readFully}). Memory-backed sources override this: the copy would otherwise cost a third of the
   * decryption time.
   */
  default ByteBuffer view(long position, int length) {
    return null;
  }

  /** A source over a channel; positioned reads on a {@code FileChannel} are thread-safe. */
  static CiphertextSource of(SeekableByteChannel channel) {
    return new ChannelSource(channel);
  }

  /** A source over bytes in memory (the buffer's position..limit). */
  static CiphertextSource of(ByteBuffer bytes) {
    // Not asReadOnlyBuffer(): a read-only heap buffer hides its array, and providers then copy it.
    ByteBuffer view = bytes.slice();
    return new CiphertextSource() {
      @Override
      public long size() {
        return view.capacity();
      }

      @Override
      public void readFully(long position, ByteBuffer dst) throws IOException {
        if (position < 0 || position + dst.remaining() > view.capacity()) {
          throw new EOFException("read past end of in-memory ciphertext at " + position);
        }
        dst.put(view.slice((int) position, dst.remaining()));
      }

      @Override
      public ByteBuffer view(long position, int length) {
        if (!view.hasArray() || position < 0 || position + length > view.capacity()) {
          return null;
        }
        return view.slice((int) position, length);
      }

      @Override
      public void close() {}
    };
  }
}
