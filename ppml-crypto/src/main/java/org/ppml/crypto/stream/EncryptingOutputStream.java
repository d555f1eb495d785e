package org.ppml.crypto.stream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.security.GeneralSecurityException;

/**
 * Encrypts a plaintext stream into a PPML v1 / Tink {@code AesGcmHkdfStreaming} body.
 *
 * <p>It holds one plaintext and one ciphertext segment. A full plaintext segment is encrypted only
 * once the next byte arrives, because until then it might be the final segment, whose nonce carries
 * the last-segment flag. {@link #close()} writes the final segment; a stream that is never closed
 * yields a body that fails authentication, never one that silently looks complete.
 *
 * <p>{@link #getPos()} counts plaintext bytes, so a Hadoop {@code FSDataOutputStream} on top
 * reports plaintext offsets (Parquet and ORC record them in their footers).
 */
public final class EncryptingOutputStream extends OutputStream {
  private final SegmentLayout layout;
  private final SegmentCipher cipher;
  private final OutputStream stream;
  private final WritableByteChannel channel;
  private final ByteBuffer plaintext;
  private final ByteBuffer ciphertext;
  private long segment;
  private long position;
  private boolean closed;

  EncryptingOutputStream(
      SegmentLayout layout,
      SegmentCipher cipher,
      byte[] streamHeader,
      OutputStream stream,
      WritableByteChannel channel)
      throws IOException {
    this.layout = layout;
    this.cipher = cipher;
    this.stream = stream;
    this.channel = channel;
    // Heap buffers: both ACCP and SunJCE run AES-GCM faster on arrays than on direct buffers here
    // (docs/benchmarks.md, "buffer kind").
    this.plaintext = ByteBuffer.allocate(layout.plaintextSegmentSize());
    this.ciphertext = ByteBuffer.allocate(layout.segmentSize());
    plaintext.limit(layout.firstPlaintextSegmentSize());
    emit(ByteBuffer.wrap(streamHeader));
  }

  /** Plaintext bytes written so far. */
  public long getPos() {
    return position;
  }

  @Override
  public void write(int b) throws IOException {
    ensureOpen();
    if (!plaintext.hasRemaining()) {
      sealSegment(false);
    }
    plaintext.put((byte) b);
    position++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    ensureOpen();
    while (len > 0) {
      if (!plaintext.hasRemaining()) {
        sealSegment(false);
      }
      if (plaintext.position() == 0 && len > plaintext.remaining()) {
        // A whole segment straight from the caller's array, skipping the copy; more bytes follow,
        // so it is certainly not the last segment.
        int n = plaintext.remaining();
        seal(ByteBuffer.wrap(b, off, n), false);
        off += n;
        len -= n;
        position += n;
        continue;
      }
      int n = Math.min(len, plaintext.remaining());
      plaintext.put(b, off, n);
      off += n;
      len -= n;
      position += n;
    }
  }

  /** Flushes the underlying sink; a partial segment stays buffered until it is full or closed. */
  @Override
  public void flush() throws IOException {
    ensureOpen();
    if (stream != null) {
      stream.flush();
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      sealSegment(true);
      if (stream != null) {
        stream.flush();
      }
    } finally {
      if (stream != null) {
        stream.close();
      } else {
        channel.close();
      }
    }
  }

  private void sealSegment(boolean last) throws IOException {
    plaintext.flip();
    seal(plaintext, last);
  }

  private void seal(ByteBuffer input, boolean last) throws IOException {
    ciphertext.clear();
    try {
      cipher.encrypt(segment, last, input, ciphertext);
    } catch (GeneralSecurityException e) {
      throw new IOException("AES-GCM encryption of segment " + segment + " failed", e);
    }
    ciphertext.flip();
    emit(ciphertext);
    segment++;
    plaintext.clear();
    plaintext.limit(layout.plaintextSegmentSize());
  }

  private void emit(ByteBuffer bytes) throws IOException {
    if (stream != null) {
      if (bytes.hasArray()) {
        stream.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
        bytes.position(bytes.limit());
      } else {
        byte[] chunk = new byte[Math.min(bytes.remaining(), 64 * 1024)];
        while (bytes.hasRemaining()) {
          int n = Math.min(chunk.length, bytes.remaining());
          bytes.get(chunk, 0, n);
          stream.write(chunk, 0, n);
        }
      }
    } else {
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    }
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("encrypting stream is closed");
    }
  }
}
