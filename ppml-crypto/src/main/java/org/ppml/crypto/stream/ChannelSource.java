package org.ppml.crypto.stream;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;

/** {@link CiphertextSource} over a seekable channel. */
final class ChannelSource implements CiphertextSource {
  private final SeekableByteChannel channel;

  ChannelSource(SeekableByteChannel channel) {
    this.channel = channel;
  }

  @Override
  public long size() throws IOException {
    return channel.size();
  }

  @Override
  public void readFully(long position, ByteBuffer dst) throws IOException {
    long at = position;
    if (channel instanceof FileChannel file) {
      while (dst.hasRemaining()) {
        int n = file.read(dst, at);
        if (n < 0) {
          throw new EOFException("unexpected end of ciphertext at offset " + at);
        }
        at += n;
      }
      return;
    }
    synchronized (channel) {
      channel.position(at);
      while (dst.hasRemaining()) {
        if (channel.read(dst) < 0) {
          throw new EOFException("unexpected end of ciphertext at offset " + channel.position());
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
