package org.ppml.enclave.sgx;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Optional;

/**
 * The SIGSTRUCT DATE field: a 32-bit little-endian word whose hex digits are the decimal date,
 * {@code 0xYYYYMMDD} (so 2025-01-31 is stored as the bytes {@code 31 01 25 20}).
 */
public final class BcdDate {

  /**
   * Encodes a date as the BCD word.
   *
   * @param date a date in the years 0..9999
   * @return the 32-bit BCD word, as an unsigned value
   */
  public static long encode(LocalDate date) {
    int year = date.getYear();
    if (year < 0 || year > 9999) {
      throw new IllegalArgumentException("SIGSTRUCT date year must be 0..9999, got " + year);
    }
    return bcd(year, 4) << 16 | bcd(date.getMonthValue(), 2) << 8 | bcd(date.getDayOfMonth(), 2);
  }

  /**
   * Decodes a BCD word. A SIGSTRUCT from an untrusted source may carry any 32 bits here, so a word
   * that is not valid BCD or not a real date decodes to empty rather than failing.
   *
   * @param word the 32-bit field value
   * @return the date, or empty when the word is not a valid BCD date
   */
  public static Optional<LocalDate> decode(long word) {
    int year = digits(word >>> 16, 4);
    int month = digits(word >>> 8, 2);
    int day = digits(word, 2);
    if (year < 0 || month < 0 || day < 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDate.of(year, month, day));
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }

  private static long bcd(int value, int nibbles) {
    long out = 0;
    for (int i = 0; i < nibbles; i++) {
      out |= (long) (value % 10) << (4 * i);
      value /= 10;
    }
    return out;
  }

  private static int digits(long word, int nibbles) {
    int value = 0;
    for (int i = nibbles - 1; i >= 0; i--) {
      int nibble = (int) (word >>> (4 * i)) & 0xf;
      if (nibble > 9) {
        return -1;
      }
      value = value * 10 + nibble;
    }
    return value;
  }

  private BcdDate() {}
}
