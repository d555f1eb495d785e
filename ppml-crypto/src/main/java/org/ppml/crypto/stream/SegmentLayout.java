package org.ppml.crypto.stream;

/**
 * Where each segment lies, in plaintext and in ciphertext, for one ciphertext segment size.
 *
 * <p>All offsets here are relative to the start of the body (the 40-byte stream header is inside
 * segment 0's ciphertext slot, as in Tink). Nothing here does I/O.
 */
public final class SegmentLayout {
  /** Size of the stream header: length byte, salt and nonce prefix. */
  public static final int HEADER_LENGTH = 40;

  /** AES-GCM tag size. */
  public static final int TAG_LENGTH = 16;

  /** Salt size, equal to the derived key size. */
  public static final int SALT_LENGTH = 32;

  /** Nonce prefix size; the nonce is prefix ‖ be32(segment) ‖ lastFlag. */
  public static final int NONCE_PREFIX_LENGTH = 7;

  /** The PPML v1 default ciphertext segment size. */
  public static final int DEFAULT_SEGMENT_SIZE = 262_144;

  /** Smallest allowed ciphertext segment size. */
  public static final int MIN_SEGMENT_SIZE = 4096;

  /** Largest allowed ciphertext segment size (8 MiB). */
  public static final int MAX_SEGMENT_SIZE = 8 << 20;

  private final int segmentSize;
  private final int plaintextSegmentSize;
  private final int firstPlaintextSegmentSize;

  private SegmentLayout(int segmentSize) {
    this.segmentSize = segmentSize;
    this.plaintextSegmentSize = segmentSize - TAG_LENGTH;
    this.firstPlaintextSegmentSize = segmentSize - TAG_LENGTH - HEADER_LENGTH;
  }

  /**
   * The layout for a ciphertext segment size.
   *
   * @throws IllegalArgumentException when the size is outside [4096, 8 MiB]
   */
  public static SegmentLayout of(int ciphertextSegmentSize) {
    if (!isValidSegmentSize(ciphertextSegmentSize)) {
      throw new IllegalArgumentException(
          "segment size must lie between "
              + MIN_SEGMENT_SIZE
              + " and "
              + MAX_SEGMENT_SIZE
              + " bytes, not "
              + ciphertextSegmentSize);
    }
    return new SegmentLayout(ciphertextSegmentSize);
  }

  public static boolean isValidSegmentSize(long size) {
    return size >= MIN_SEGMENT_SIZE && size <= MAX_SEGMENT_SIZE;
  }

  public int segmentSize() {
    return segmentSize;
  }

  /** Plaintext bytes in a full segment other than segment 0. */
  public int plaintextSegmentSize() {
    return plaintextSegmentSize;
  }

  /** Plaintext bytes in a full segment 0 (it also holds the stream header). */
  public int firstPlaintextSegmentSize() {
    return firstPlaintextSegmentSize;
  }

  /** Body length for a plaintext length, exactly as Tink's encrypter produces it. */
  public long ciphertextLength(long plaintextLength) {
    if (plaintextLength < 0) {
      throw new IllegalArgumentException("negative plaintext length");
    }
    long withHeader = plaintextLength + HEADER_LENGTH;
    long fullSegments = withHeader / plaintextSegmentSize;
    long rest = withHeader % plaintextSegmentSize;
    long length = fullSegments * segmentSize;
    // An empty plaintext still has one (empty) final segment; otherwise only a partial tail adds
    // one.
    if (rest > 0 || fullSegments == 0) {
      length += rest + TAG_LENGTH;
    }
    return length;
  }

  /**
   * Plaintext length for a body length, or -1 when no valid stream has that length (for example a
   * body truncated inside a tag, or shorter than header plus one tag).
   */
  public long plaintextLength(long ciphertextLength) {
    if (ciphertextLength < HEADER_LENGTH + TAG_LENGTH) {
      return -1;
    }
    long fullSegments = ciphertextLength / segmentSize;
    long rest = ciphertextLength % segmentSize;
    long plaintext = fullSegments * plaintextSegmentSize - HEADER_LENGTH;
    if (rest > 0) {
      if (rest < TAG_LENGTH || (fullSegments == 0 && rest < HEADER_LENGTH + TAG_LENGTH)) {
        return -1;
      }
      plaintext += rest - TAG_LENGTH;
    }
    return plaintext;
  }

  /** Number of segments in a body of a valid length. */
  public long segmentCount(long ciphertextLength) {
    return (ciphertextLength + segmentSize - 1) / segmentSize;
  }

  /** The segment that holds a plaintext offset. */
  public long segmentOf(long plaintextOffset) {
    if (plaintextOffset < firstPlaintextSegmentSize) {
      return 0;
    }
    return 1 + (plaintextOffset - firstPlaintextSegmentSize) / plaintextSegmentSize;
  }

  /** Plaintext offset of a segment's first byte. */
  public long plaintextStart(long segment) {
    return segment == 0 ? 0 : firstPlaintextSegmentSize + (segment - 1) * plaintextSegmentSize;
  }

  /** Body offset of a segment's ciphertext (after the stream header for segment 0). */
  public long ciphertextStart(long segment) {
    return segment == 0 ? HEADER_LENGTH : segment * segmentSize;
  }

  /** Ciphertext length, tag included, of a segment in a body of the given valid length. */
  public int ciphertextSize(long segment, long ciphertextLength) {
    long end = Math.min((segment + 1) * segmentSize, ciphertextLength);
    return (int) (end - ciphertextStart(segment));
  }

  @Override
  public String toString() {
    return "SegmentLayout[" + segmentSize + "]";
  }
}
