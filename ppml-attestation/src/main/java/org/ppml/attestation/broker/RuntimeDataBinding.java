package org.ppml.attestation.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * The KBS binding of runtime data into a quote: REPORT_DATA = SHA-384(JCS(runtime-data)) padded
 * with zeros to 64 bytes. Both the broker and clients compute it here, so they cannot drift apart.
 */
public final class RuntimeDataBinding {
  /** REPORT_DATA size. */
  public static final int REPORT_DATA_SIZE = 64;

  private RuntimeDataBinding() {}

  /**
   * The REPORT_DATA expected for the runtime-data JSON object text {@code runtimeDataJson}.
   *
   * @throws IllegalArgumentException if the text is not JSON that JCS accepts
   */
  public static byte[] reportData(String runtimeDataJson) {
    byte[] canonical;
    try {
      canonical = new JsonCanonicalizer(runtimeDataJson).getEncodedUTF8();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("runtime-data cannot be canonicalised (RFC 8785)");
    }
    try {
      return Arrays.copyOf(
          MessageDigest.getInstance("SHA-384").digest(canonical), REPORT_DATA_SIZE);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-384 missing from the JDK", e);
    }
  }

  /** As {@link #reportData(String)}, from UTF-8 bytes. */
  public static byte[] reportData(byte[] runtimeDataJson) {
    return reportData(new String(runtimeDataJson, StandardCharsets.UTF_8));
  }

  /** Whether {@code actual} REPORT_DATA binds {@code expected}, compared in constant time. */
  public static boolean matches(byte[] expected, byte[] actual) {
    return actual != null && MessageDigest.isEqual(expected, actual);
  }
}
