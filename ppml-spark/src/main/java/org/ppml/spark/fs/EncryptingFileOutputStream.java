package org.ppml.spark.fs;

import java.io.IOException;
import java.io.OutputStream;
import org.ppml.crypto.envelope.PpmlEncryptor;
import org.ppml.crypto.stream.EncryptingOutputStream;

/**
 * One file being written: the encrypting stream plus the encryptor that owns its key, so that
 * closing the file seals the final segment and then zeroes the key.
 */
final class EncryptingFileOutputStream extends OutputStream {
  private final PpmlEncryptor encryptor;
  private final EncryptingOutputStream out;

  EncryptingFileOutputStream(PpmlEncryptor encryptor, EncryptingOutputStream out) {
    this.encryptor = encryptor;
    this.out = out;
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    try {
      out.close();
    } finally {
      encryptor.close();
    }
  }
}
