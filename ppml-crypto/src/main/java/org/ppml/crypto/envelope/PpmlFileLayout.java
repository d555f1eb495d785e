package org.ppml.crypto.envelope;

import org.ppml.crypto.stream.SegmentLayout;

/**
 * Length arithmetic for whole PPML files (header plus body), without I/O: a FileSystem listing
 * reports plaintext lengths from this alone.
 */
public final class PpmlFileLayout {
  private PpmlFileLayout() {}

  /**
   * Plaintext length of a PPML file of {@code fileLength} bytes written with {@code segmentSize},
   * or -1 when no valid file has that length.
   */
  public static long plaintextLength(long fileLength, int segmentSize) {
    if (fileLength < EnvelopeHeader.LENGTH) {
      return -1;
    }
    return SegmentLayout.of(segmentSize).plaintextLength(fileLength - EnvelopeHeader.LENGTH);
  }

  /** File length of a PPML file holding {@code plaintextLength} bytes. */
  public static long fileLength(long plaintextLength, int segmentSize) {
    return EnvelopeHeader.LENGTH + SegmentLayout.of(segmentSize).ciphertextLength(plaintextLength);
  }
}
