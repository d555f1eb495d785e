package org.ppml.crypto;

import java.io.IOException;

/**
 * An encrypted file failed an integrity check: it was tampered with, truncated, extended, or it is
 * read with the wrong key, or its header is malformed.
 *
 * <p>This is the one exception type for all of those cases so that callers (the CLI, the Hadoop
 * FileSystem) need one catch to turn them into "rejected" (exit code 1) rather than an I/O error.
 * It always names the file and where in it the check failed; it never carries plaintext or key
 * bytes.
 */
public final class IntegrityException extends IOException implements CodedFailure {
  private static final long serialVersionUID = 1L;

  /** {@link #segment()} value for a failure in the envelope or stream header. */
  public static final long HEADER = -1;

  /**
   * {@link #segment()} value for a failure in a part of a file that is not a PPML segment, such as
   * a Parquet column or footer under modular encryption; {@link #location()} names the part.
   */
  public static final long NOT_A_SEGMENT = -2;

  private final String source;
  private final long segment;
  private final String location;

  public IntegrityException(String source, long segment, String reason) {
    this(source, segment, reason, null);
  }

  public IntegrityException(String source, long segment, String reason, Throwable cause) {
    this(source, segment, segment == HEADER ? "header" : "segment " + segment, reason, cause);
  }

  /**
   * A failure in a named part of a file that is not a PPML segment.
   *
   * @param location the part, e.g. {@code "column 'price'"} or {@code "footer"}
   */
  public IntegrityException(String source, String location, String reason, Throwable cause) {
    this(source, NOT_A_SEGMENT, location, reason, cause);
  }

  private IntegrityException(
      String source, long segment, String location, String reason, Throwable cause) {
    super("integrity check failed in " + source + " at " + location + ": " + reason, cause);
    this.source = source;
    this.segment = segment;
    this.location = location;
    // Every integrity failure is raised as exactly one of these, so this is where they are counted.
    CryptoCounters.integrityFailure();
  }

  /** The file (or stream) name given when it was opened. */
  public String source() {
    return source;
  }

  /** The zero-based ciphertext segment index, {@link #HEADER} or {@link #NOT_A_SEGMENT}. */
  public long segment() {
    return segment;
  }

  /** Where in the file the check failed, in words ("header", "segment 3", "column 'price'"). */
  public String location() {
    return location;
  }

  @Override
  public String code() {
    return "integrity";
  }

  @Override
  public boolean isVerdict() {
    return true;
  }
}
