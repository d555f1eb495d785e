package org.ppml.cli.kms;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 bytes passed on to a picocli {@link PrintWriter} a line at a time, for APIs that print to a
 * {@link java.io.PrintStream} (the broker's start-up banner). Going through the command's writer,
 * rather than {@code System.out}, keeps in-process runs and tests capturing everything.
 */
final class WriterOutputStream extends OutputStream {
  private final PrintWriter writer;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

  WriterOutputStream(PrintWriter writer) {
    this.writer = writer;
  }

  @Override
  public synchronized void write(int b) {
    pending.write(b);
    if (b == '\n') {
      flush();
    }
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    pending.write(b, off, len);
  }

  /** Passes on whole lines only, so a multi-byte character is never split across writes. */
  @Override
  public synchronized void flush() {
    byte[] bytes = pending.toByteArray();
    int end = bytes.length;
    while (end > 0 && bytes[end - 1] != '\n') {
      end--;
    }
    if (end == 0) {
      return;
    }
    writer.write(new String(bytes, 0, end, StandardCharsets.UTF_8));
    writer.flush();
    pending.reset();
    pending.write(bytes, end, bytes.length - end);
  }

  @Override
  public synchronized void close() {
    byte[] rest = pending.toByteArray();
    pending.reset();
    writer.write(new String(rest, StandardCharsets.UTF_8));
    writer.flush();
  }
}
