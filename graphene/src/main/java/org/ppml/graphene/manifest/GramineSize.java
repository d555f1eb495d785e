package org.ppml.graphene.manifest;

/**
 * Sizes as Gramine manifests write them: a number (decimal, or hex with {@code 0x}) with an
 * optional {@code K}, {@code M} or {@code G} suffix, e.g. {@code "256M"}.
 */
public final class GramineSize {

  /**
   * @param key the manifest key, for error messages
   * @param value the size text
   * @return the size in bytes
   * @throws GramineManifestException if the text is not a size or overflows
   */
  public static long parse(String key, String value) throws GramineManifestException {
    if (value == null || value.isEmpty() || value.length() > 32) {
      throw new GramineManifestException(
          key + ": expected a size such as \"256M\", got \"" + value + "\"");
    }
    long scale = 1;
    String digits = value;
    char last = value.charAt(value.length() - 1);
    if (last == 'K' || last == 'M' || last == 'G') {
      scale = last == 'K' ? 1L << 10 : last == 'M' ? 1L << 20 : 1L << 30;
      digits = value.substring(0, value.length() - 1);
    }
    long number;
    try {
      number =
          digits.startsWith("0x") || digits.startsWith("0X")
              ? Long.parseUnsignedLong(digits.substring(2), 16)
              : Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new GramineManifestException(
          key + ": expected a size such as \"256M\", got \"" + value + "\"");
    }
    if (number < 0 || number > Long.MAX_VALUE / scale) {
      throw new GramineManifestException(key + ": size \"" + value + "\" is out of range");
    }
    return number * scale;
  }

  /**
   * @param bytes a size in bytes
   * @return the shortest exact text Gramine reads back, e.g. {@code "16G"}
   */
  public static String format(long bytes) {
    if (bytes > 0 && bytes % (1L << 30) == 0) {
      return (bytes >> 30) + "G";
    }
    if (bytes > 0 && bytes % (1L << 20) == 0) {
      return (bytes >> 20) + "M";
    }
    if (bytes > 0 && bytes % (1L << 10) == 0) {
      return (bytes >> 10) + "K";
    }
    return Long.toString(bytes);
  }

  private GramineSize() {}
}
