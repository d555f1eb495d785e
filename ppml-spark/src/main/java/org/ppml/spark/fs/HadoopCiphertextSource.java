package org.ppml.spark.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.hadoop.fs.FSDataInputStream;
import org.ppml.crypto.stream.CiphertextSource;

/**
 * Ciphertext read through Hadoop positioned reads, which are thread-safe and leave the stream
 * position alone, so the decrypting channel may serve relative and positioned reads at once.
 */
final class HadoopCiphertextSource implements CiphertextSource {
  private final FSDataInputStream in;
  private final long length;

  /** @param length the file length from its status; a stream does not know it */
  HadoopCiphertextSource(FSDataInputStream in, long length) {
    this.in = in;
    this.length = length;
  }

  @Override
  public long size() {
    return length;
  }

  @Override
  public void readFully(long position, ByteBuffer dst) throws IOException {
    int n = dst.remaining();
    if (dst.hasArray()) {
      in.readFully(position, dst.array(), dst.arrayOffset() + dst.position(), n);
      dst.position(dst.limit());
    } else {
      byte[] bytes = new byte[n];
      in.readFully(position, bytes, 0, n);
      dst.put(bytes);
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
