package org.ppml.cli;

import java.util.HexFormat;

/**
 * Hex-valued options ({@code --mrenclave}, {@code --report-data}): decoded with errors that name
 * the option.
 */
public final class HexArgument {
  private HexArgument() {}

  /** Exactly {@code length} bytes of hex, with or without a {@code 0x} prefix. */
  public static byte[] exactly(String option, String text, int length) {
    byte[] b = decode(option, text);
    if (b.length != length) {
      throw new ErrorReporter.UsageError(
          option
              + " must be "
              + 2 * length
              + " hex digits ("
              + length
              + " bytes), got "
              + 2 * b.length);
    }
    return b;
  }

  /** Between 1 and {@code maxLength} bytes of hex, with or without a {@code 0x} prefix. */
  public static byte[] atMost(String option, String text, int maxLength) {
    byte[] b = decode(option, text);
    if (b.length == 0 || b.length > maxLength) {
      throw new ErrorReporter.UsageError(
          option
              + " must be 2 to "
              + 2 * maxLength
              + " hex digits (at most "
              + maxLength
              + " bytes), got "
              + 2 * b.length);
    }
    return b;
  }

  private static byte[] decode(String option, String text) {
    String hex = text.strip();
    if (hex.startsWith("0x") || hex.startsWith("0X")) {
      hex = hex.substring(2);
    }
    if (hex.length() % 2 != 0) {
      throw new ErrorReporter.UsageError(
          option + " has an odd number of hex digits (" + hex.length() + ")");
    }
    try {
      return HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException e) {
      throw new ErrorReporter.UsageError(option + " is not hexadecimal");
    }
  }
}
