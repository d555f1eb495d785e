package org.ppml.cli.bench;

import java.io.OutputStream;

/**
 * An output stream that discards what it gets but folds one byte of each write into a checksum, so
 * that encrypt kernels can be measured without the cost of storing their output and the JIT cannot
 * drop the work.
 */
final class CountingSink extends OutputStream {
  private long count;

  @Override
  public void write(int b) {
    count++;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    count += len;
    if (len > 0) {
      count += b[off];
    }
  }

  long count() {
    return count;
  }
}
