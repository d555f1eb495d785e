package org.ppml.crypto.stream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import org.ppml.crypto.IntegrityException;

/**
 * Sequential decryption of a body from a plain {@link InputStream} whose length is unknown.
 *
 * <p>Whether a segment is the last one decides its nonce, so after each full segment the reader
 * looks one byte ahead: end of stream there means "last". That byte is carried into the next
 * segment. Plaintext of a segment is released only after its tag verified.
 */
final class DecryptingInputStream extends InputStream {
  private final InputStream in;
  private final AesGcmHkdfStreaming streaming;
  private final SegmentLayout layout;
  private final String name;
  private final byte[] ciphertext;
  private final ByteBuffer plaintext;
  private SegmentCipher cipher;
  private int carried = -1;
  private long segment;
  private boolean finished;
  private boolean closed;

  DecryptingInputStream(AesGcmHkdfStreaming streaming, InputStream in, String name) {
    this.in = in;
    this.streaming = streaming;
    this.layout = streaming.layout();
    this.name = name;
    this.ciphertext = new byte[layout.segmentSize()];
    this.plaintext = ByteBuffer.allocate(layout.plaintextSegmentSize());
    plaintext.limit(0);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    if (closed) {
      throw new IOException("decrypting stream is closed");
    }
    if (len == 0) {
      return 0;
    }
    while (!plaintext.hasRemaining()) {
      if (finished) {
        return -1;
      }
      nextSegment();
    }
    int n = Math.min(len, plaintext.remaining());
    plaintext.get(b, off, n);
    return n;
  }

  @Override
  public int available() {
    return plaintext.remaining();
  }

  private void nextSegment() throws IOException {
    if (cipher == null) {
      readHeader();
    }
    int expected =
        segment == 0 ? layout.segmentSize() - SegmentLayout.HEADER_LENGTH : layout.segmentSize();
    int filled = 0;
    if (carried >= 0) {
      ciphertext[filled++] = (byte) carried;
      carried = -1;
    }
    filled += readUpTo(ciphertext, filled, expected - filled);
    boolean last;
    if (filled < expected) {
      last = true;
    } else {
      carried = in.read();
      last = carried < 0;
    }
    if (filled < SegmentLayout.TAG_LENGTH) {
      throw new IntegrityException(name, segment, "stream ends inside a segment tag (truncated)");
    }
    plaintext.clear();
    try {
      cipher.decrypt(segment, last, ByteBuffer.wrap(ciphertext, 0, filled), plaintext);
    } catch (AEADBadTagException e) {
      plaintext.clear().limit(0);
      throw new IntegrityException(
          name,
          segment,
          "authentication tag mismatch (tampered, reordered, truncated or wrong key)");
    } catch (GeneralSecurityException e) {
      plaintext.clear().limit(0);
      throw new IntegrityException(name, segment, "decryption failed: " + e.getMessage(), e);
    }
    plaintext.flip();
    segment++;
    finished = last;
  }

  private void readHeader() throws IOException {
    byte[] header = new byte[SegmentLayout.HEADER_LENGTH];
    if (readUpTo(header, 0, header.length) < header.length) {
      throw new IntegrityException(name, 0, "stream header truncated");
    }
    StreamHeader parsed = StreamHeader.parse(header);
    if (parsed == null) {
      throw new IntegrityException(name, 0, "stream header length byte is not 40");
    }
    cipher = streaming.newSegmentCipher(parsed);
  }

  private int readUpTo(byte[] buffer, int off, int len) throws IOException {
    int total = 0;
    while (total < len) {
      int n = in.read(buffer, off + total, len - total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      java.util.Arrays.fill(plaintext.array(), (byte) 0);
      in.close();
    }
  }
}
