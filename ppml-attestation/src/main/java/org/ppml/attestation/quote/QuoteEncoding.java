package org.ppml.attestation.quote;

import java.io.ByteArrayOutputStream;

/**
 * How quote files arrive: raw binary, or hex text (optionally with a {@code 0x} prefix and
 * whitespace), as tools such as dcap-qvl and {@code ppml quote simulate} write them.
 */
public final class QuoteEncoding {
  private QuoteEncoding() {}

  /**
   * Returns the quote bytes of a file: hex-decoded if the whole file is hex text, else as is. A
   * binary quote starts with a version u16 (bytes 03/04/05 00), so it is never all hex text.
   */
  public static byte[] decodeFile(byte[] file) throws QuoteFormatException {
    if (file.length > Quote.MAX_SIZE * 2 + 1024) {
      throw new QuoteFormatException("quote", 0, "file of " + file.length + " bytes is too large");
    }
    int start = 0;
    while (start < file.length && Character.isWhitespace(file[start])) {
      start++;
    }
    if (start + 1 < file.length
        && file[start] == '0'
        && (file[start + 1] == 'x' || file[start + 1] == 'X')) {
      start += 2;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(file.length / 2);
    int high = -1;
    for (int i = start; i < file.length; i++) {
      int c = file[i] & 0xff;
      if (Character.isWhitespace(c)) {
        continue;
      }
      int d = Character.digit(c, 16);
      if (d < 0) {
        return file.clone();
      }
      if (high < 0) {
        high = d;
      } else {
        out.write(high << 4 | d);
        high = -1;
      }
    }
    if (high >= 0 || out.size() == 0) {
      return file.clone();
    }
    return out.toByteArray();
  }
}
