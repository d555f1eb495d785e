package org.ppml.occlum.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A memory size as {@code Occlum.json} writes it: a decimal number and one of the units {@code B},
 * {@code KB}, {@code MB}, {@code GB}, {@code TB}, with binary factors (Occlum's {@code
 * gen_internal_conf} reads {@code "1KB"} as 1024 bytes).
 */
public final class OcclumSize implements Comparable<OcclumSize> {
  private static final String[] UNITS = {"B", "KB", "MB", "GB", "TB"};
  private static final Pattern OCCLUM = Pattern.compile("([0-9]{1,19})(B|KB|MB|GB|TB)");
  private static final Pattern USER = Pattern.compile("([0-9]{1,19})\\s*([KMGT]?)(I?B)?");

  private final long bytes;

  private OcclumSize(long bytes) {
    this.bytes = bytes;
  }

  /**
   * @param bytes a size in bytes, not negative
   */
  public static OcclumSize ofBytes(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("negative size " + bytes);
    }
    return new OcclumSize(bytes);
  }

  /**
   * Parses the exact form Occlum accepts, e.g. {@code 32MB}.
   *
   * @throws OcclumConfigException naming {@code field} if it is not such a size or overflows
   */
  public static OcclumSize parse(String text, String field) throws OcclumConfigException {
    Matcher m = text == null ? null : OCCLUM.matcher(text.trim());
    if (m == null || !m.matches()) {
      throw new OcclumConfigException(
          field + ": \"" + text + "\" is not an Occlum size (e.g. 512MB, 8GB)");
    }
    return of(m.group(1), unitIndex(m.group(2)), field, text);
  }

  /**
   * Parses what a person types on a command line: {@code 8G}, {@code 8g}, {@code 8GB}, {@code
   * 8GiB}, {@code 512m}; a bare number is bytes.
   *
   * @throws OcclumConfigException naming {@code option} if it is not a size or overflows
   */
  public static OcclumSize parseUserInput(String text, String option) throws OcclumConfigException {
    Matcher m = text == null ? null : USER.matcher(text.trim().toUpperCase(Locale.ROOT));
    if (m == null || !m.matches()) {
      throw new OcclumConfigException(option + ": \"" + text + "\" is not a size (e.g. 8G, 512M)");
    }
    String prefix = m.group(2);
    return of(m.group(1), prefix.isEmpty() ? 0 : unitIndex(prefix + "B"), option, text);
  }

  private static OcclumSize of(String digits, int unit, String field, String text)
      throws OcclumConfigException {
    try {
      long value = Long.parseLong(digits);
      return new OcclumSize(Math.multiplyExact(value, 1L << (10 * unit)));
    } catch (ArithmeticException | NumberFormatException e) {
      throw new OcclumConfigException(field + ": \"" + text + "\" is too large");
    }
  }

  private static int unitIndex(String unit) {
    for (int i = 0; i < UNITS.length; i++) {
      if (UNITS[i].equals(unit)) {
        return i;
      }
    }
    throw new IllegalArgumentException(unit);
  }

  public long bytes() {
    return bytes;
  }

  /** The size plus {@code other}. */
  public OcclumSize plus(OcclumSize other) {
    return new OcclumSize(Math.addExact(bytes, other.bytes));
  }

  /**
   * @return this size rounded up to a whole number of MiB
   */
  public OcclumSize roundUpToMegabytes() {
    long mb = 1L << 20;
    return new OcclumSize(Math.multiplyExact(Math.floorDiv(bytes + mb - 1, mb), mb));
  }

  /**
   * @return this size rounded down to a whole number of MiB
   */
  public OcclumSize roundDownToMegabytes() {
    long mb = 1L << 20;
    return new OcclumSize(Math.floorDiv(bytes, mb) * mb);
  }

  /**
   * The Occlum form with the largest unit that divides it exactly, e.g. {@code 8GB}, {@code
   * 1536MB}.
   */
  @Override
  public String toString() {
    int unit = UNITS.length - 1;
    while (unit > 0 && (bytes == 0 || bytes % (1L << (10 * unit)) != 0)) {
      unit--;
    }
    return (bytes >> (10 * unit)) + UNITS[unit];
  }

  @Override
  public int compareTo(OcclumSize o) {
    return Long.compare(bytes, o.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OcclumSize s && s.bytes == bytes;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(bytes);
  }
}
