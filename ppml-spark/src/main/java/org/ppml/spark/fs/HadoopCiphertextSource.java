package org.ppml.spark.fs;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.hadoop.fs.FSDataInputStream;
import org.ppml.crypto.stream.CiphertextSource;

/**
 * Ciphertext read from a Hadoop stream by seek and read.
 *
 * <p>Not through Hadoop's positioned reads: on checksummed file systems ({@code file:}) each
 * positioned read opens the file anew, and on object stores it defeats sequential read-ahead. The
 * decrypting channel reads one segment at a time in order for a scan, so seek-and-read is
 * sequential I/O there; this class serialises it, which keeps positioned reads of the channel safe.
 */
final class HadoopCiphertextSource implements CiphertextSource {
  private final FSDataInputStream in;
  private final long length;

  /**
   * @param length the file length from its status; a stream does not know it
   */
  HadoopCiphertextSource(FSDataInputStream in, long length) {
    this.in = in;
    this.length = length;
  }

  @Override
  public long size() {
    return length;
  }

  @Override
  public synchronized void readFully(long position, ByteBuffer dst) throws IOException {
    int n = dst.remaining();
    if (position < 0 || position + n > length) {
      throw new EOFException(
          "read of " + n + " bytes at " + position + " is past the end (" + length + " bytes)");
    }
    if (in.getPos() != position) {
      in.seek(position);
    }
    if (dst.hasArray()) {
      in.readFully(dst.array(), dst.arrayOffset() + dst.position(), n);
      dst.position(dst.limit());
    } else {
      byte[] bytes = new byte[n];
      in.readFully(bytes, 0, n);
      dst.put(bytes);
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
