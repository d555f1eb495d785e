package org.ppml.crypto;

import java.util.concurrent.atomic.LongAdder;

/**
 * What this JVM's PPML v1 streams did: bytes decrypted and encrypted, segments authenticated,
 * integrity failures. A seam for metrics: this module knows no metrics library, so whoever
 * publishes metrics (the Spark plugin) reads these totals.
 *
 * <p>Counted once per segment (one {@link LongAdder} add, a few nanoseconds, against tens of
 * microseconds of AES-GCM over a segment), never per byte, so the decrypt path does not slow
 * measurably; {@link LongAdder} keeps concurrent tasks from contending on one cache line.
 */
public final class CryptoCounters {
  private static final LongAdder BYTES_DECRYPTED = new LongAdder();
  private static final LongAdder BYTES_ENCRYPTED = new LongAdder();
  private static final LongAdder SEGMENTS_AUTHENTICATED = new LongAdder();
  private static final LongAdder INTEGRITY_FAILURES = new LongAdder();

  private CryptoCounters() {}

  /** One segment authenticated and decrypted into {@code plaintextBytes}. */
  public static void segmentDecrypted(int plaintextBytes) {
    BYTES_DECRYPTED.add(plaintextBytes);
    SEGMENTS_AUTHENTICATED.increment();
  }

  /** One segment of {@code plaintextBytes} encrypted. */
  public static void segmentEncrypted(int plaintextBytes) {
    BYTES_ENCRYPTED.add(plaintextBytes);
  }

  /** One integrity failure (each {@link IntegrityException} counts once). */
  static void integrityFailure() {
    INTEGRITY_FAILURES.increment();
  }

  /** Plaintext bytes decrypted by this JVM so far. */
  public static long bytesDecrypted() {
    return BYTES_DECRYPTED.sum();
  }

  /** Plaintext bytes encrypted by this JVM so far. */
  public static long bytesEncrypted() {
    return BYTES_ENCRYPTED.sum();
  }

  /** Segments whose tag verified in this JVM so far. */
  public static long segmentsAuthenticated() {
    return SEGMENTS_AUTHENTICATED.sum();
  }

  /** Integrity failures raised in this JVM so far. */
  public static long integrityFailures() {
    return INTEGRITY_FAILURES.sum();
  }
}
