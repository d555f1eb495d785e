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
public final class IntegrityException extends IOException {
  private static final long serialVersionUID = 1L;

  /** {@link #segment()} value for a failure in the envelope or stream header. */
  public static final long HEADER = -1;

  private final String source;
  private final long segment;

  public IntegrityException(String source, long segment, String reason) {
    this(source, segment, reason, null);
  }

  public IntegrityException(String source, long segment, String reason, Throwable cause) {
    super(describe(source, segment, reason), cause);
    this.source = source;
    this.segment = segment;
    // Every integrity failure is raised as exactly one of these, so this is where they are counted.
    CryptoCounters.integrityFailure();
  }

  private static String describe(String source, long segment, String reason) {
    String where = segment == HEADER ? "header" : "segment " + segment;
    return "integrity check failed in " + source + " at " + where + ": " + reason;
  }

  /** The file (or stream) name given when it was opened. */
  public String source() {
    return source;
  }

  /** The zero-based ciphertext segment index, or {@link #HEADER}. */
  public long segment() {
    return segment;
  }
}
