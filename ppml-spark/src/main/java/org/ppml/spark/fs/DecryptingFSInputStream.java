package org.ppml.spark.fs;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Objects;
import org.apache.hadoop.fs.ByteBufferPositionedReadable;
import org.apache.hadoop.fs.ByteBufferReadable;
import org.apache.hadoop.fs.FSExceptionMessages;
import org.apache.hadoop.fs.FSInputStream;
import org.apache.hadoop.fs.StreamCapabilities;
import org.ppml.crypto.stream.SeekableDecryptingChannel;

/**
 * The plaintext of one PPML file as a Hadoop stream: seekable, positioned-readable and
 * ByteBuffer-readable, so split readers, Parquet footers and ORC stripes seek straight to what they
 * need. A seek does no I/O; a read decrypts (and authenticates) only the segments it touches.
 */
public final class DecryptingFSInputStream extends FSInputStream
    implements ByteBufferReadable, ByteBufferPositionedReadable, StreamCapabilities {
  private final SeekableDecryptingChannel channel;
  private final byte[] oneByte = new byte[1];

  public DecryptingFSInputStream(SeekableDecryptingChannel channel) {
    this.channel = Objects.requireNonNull(channel);
  }

  /** Plaintext length of the file. */
  public long length() {
    return channel.size();
  }

  @Override
  public synchronized void seek(long pos) throws IOException {
    if (pos < 0) {
      throw new EOFException(
          FSExceptionMessages.NEGATIVE_SEEK + ": " + pos + " in " + channel.name());
    }
    if (pos > channel.size()) {
      throw new EOFException(
          FSExceptionMessages.CANNOT_SEEK_PAST_EOF + ": " + pos + " in " + channel.name());
    }
    channel.position(pos);
  }

  @Override
  public synchronized long getPos() throws IOException {
    return channel.position();
  }

  @Override
  public boolean seekToNewSource(long targetPos) {
    return false;
  }

  @Override
  public synchronized int read() throws IOException {
    int n = channel.read(ByteBuffer.wrap(oneByte));
    return n <= 0 ? -1 : oneByte[0] & 0xFF;
  }

  @Override
  public synchronized int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    return channel.read(ByteBuffer.wrap(b, off, len));
  }

  @Override
  public int read(ByteBuffer buf) throws IOException {
    return channel.read(buf);
  }

  @Override
  public int read(long position, byte[] buffer, int offset, int length) throws IOException {
    validatePositionedReadArgs(position, buffer, offset, length);
    if (length == 0) {
      return 0;
    }
    return channel.read(position, ByteBuffer.wrap(buffer, offset, length));
  }

  @Override
  public int read(long position, ByteBuffer buf) throws IOException {
    return channel.read(position, buf);
  }

  @Override
  public void readFully(long position, ByteBuffer buf) throws IOException {
    long at = position;
    while (buf.hasRemaining()) {
      int n = channel.read(at, buf);
      if (n < 0) {
        throw new EOFException(
            FSExceptionMessages.EOF_IN_READ_FULLY + ": at " + at + " in " + channel.name());
      }
      at += n;
    }
  }

  @Override
  public synchronized long skip(long n) throws IOException {
    if (n <= 0) {
      return 0;
    }
    long from = channel.position();
    long to = Math.min(channel.size(), from + n);
    channel.position(to);
    return to - from;
  }

  @Override
  public synchronized int available() throws IOException {
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, channel.size() - channel.position()));
  }

  @Override
  public boolean hasCapability(String capability) {
    String c = capability.toLowerCase(Locale.ROOT);
    return c.equals(StreamCapabilities.READBYTEBUFFER)
        || c.equals(StreamCapabilities.PREADBYTEBUFFER);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  @Override
  public String toString() {
    return "DecryptingFSInputStream[" + channel.name() + "]";
  }
}
