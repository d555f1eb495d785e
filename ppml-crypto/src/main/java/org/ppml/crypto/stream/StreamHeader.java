package org.ppml.crypto.stream;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The 40-byte Tink stream header that starts every body: {@code 0x28 ‖ salt[32] ‖ noncePrefix[7]}.
 */
final class StreamHeader {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] salt;
  private final byte[] noncePrefix;

  private StreamHeader(byte[] salt, byte[] noncePrefix) {
    this.salt = salt;
    this.noncePrefix = noncePrefix;
  }

  /** A header with a fresh random salt and nonce prefix. */
  static StreamHeader random() {
    byte[] salt = new byte[SegmentLayout.SALT_LENGTH];
    byte[] prefix = new byte[SegmentLayout.NONCE_PREFIX_LENGTH];
    RANDOM.nextBytes(salt);
    RANDOM.nextBytes(prefix);
    return new StreamHeader(salt, prefix);
  }

  /**
   * Parses the 40 header bytes.
   *
   * @return null when the length byte is not 40 (not a stream of this suite)
   */
  static StreamHeader parse(byte[] bytes) {
    if (bytes.length != SegmentLayout.HEADER_LENGTH
        || (bytes[0] & 0xFF) != SegmentLayout.HEADER_LENGTH) {
      return null;
    }
    int saltEnd = 1 + SegmentLayout.SALT_LENGTH;
    return new StreamHeader(
        Arrays.copyOfRange(bytes, 1, saltEnd),
        Arrays.copyOfRange(bytes, saltEnd, saltEnd + SegmentLayout.NONCE_PREFIX_LENGTH));
  }

  byte[] encode() {
    byte[] out = new byte[SegmentLayout.HEADER_LENGTH];
    out[0] = (byte) SegmentLayout.HEADER_LENGTH;
    System.arraycopy(salt, 0, out, 1, salt.length);
    System.arraycopy(noncePrefix, 0, out, 1 + salt.length, noncePrefix.length);
    return out;
  }

  byte[] salt() {
    return salt;
  }

  byte[] noncePrefix() {
    return noncePrefix;
  }
}
