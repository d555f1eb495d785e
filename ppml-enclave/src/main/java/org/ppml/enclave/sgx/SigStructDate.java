package org.ppml.enclave.sgx;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * The value of a SIGSTRUCT DATE field: a real date, or the all-zero word.
 *
 * <p>Intel's layout stores the date as BCD {@code 0xYYYYMMDD} ({@link BcdDate}). Some signers
 * (Enarx, for one) write the word as all zeros instead of a date; the CPU does not check the field,
 * so such a SIGSTRUCT is valid, and reproducing it byte for byte needs this value. Its text form is
 * {@code 0000-00-00}, the same digits as the BCD word, so {@code enclave sign --date} accepts what
 * {@code enclave show} prints.
 */
public final class SigStructDate {
  /** The text of the all-zero date. */
  public static final String ZERO_TEXT = "0000-00-00";

  /** The all-zero DATE word. */
  public static final SigStructDate ZERO = new SigStructDate(null);

  private final LocalDate date;

  private SigStructDate(LocalDate date) {
    this.date = date;
  }

  /**
   * @param date a date in the years 0..9999
   * @return that date
   * @throws IllegalArgumentException if the year has more than four digits
   */
  public static SigStructDate of(LocalDate date) {
    BcdDate.encode(Objects.requireNonNull(date, "date"));
    return new SigStructDate(date);
  }

  /**
   * Parses {@code YYYY-MM-DD} (a real date, year 0..9999) or {@code 0000-00-00}.
   *
   * @param text the date text
   * @return the value
   * @throws IllegalArgumentException naming what is wrong
   */
  public static SigStructDate parse(String text) {
    if (ZERO_TEXT.equals(text)) {
      return ZERO;
    }
    LocalDate d;
    try {
      d = LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a date in the form YYYY-MM-DD (or " + ZERO_TEXT + ")");
    }
    if (d.getYear() < 0 || d.getYear() > 9999) {
      throw new IllegalArgumentException("'" + text + "': a SIGSTRUCT date has a year in 0..9999");
    }
    return new SigStructDate(d);
  }

  /**
   * Decodes a DATE word read from a SIGSTRUCT.
   *
   * @param word the 32-bit field value
   * @return the value, or empty when the word is neither zero nor a valid BCD date
   */
  public static Optional<SigStructDate> fromWord(long word) {
    if (word == 0) {
      return Optional.of(ZERO);
    }
    return BcdDate.decode(word).map(SigStructDate::new);
  }

  /**
   * @return the 32-bit BCD word this value is stored as
   */
  public long word() {
    return date == null ? 0 : BcdDate.encode(date);
  }

  /**
   * @return true for the all-zero word
   */
  public boolean isZero() {
    return date == null;
  }

  /**
   * @return the calendar date, or empty for the all-zero word
   */
  public Optional<LocalDate> localDate() {
    return Optional.ofNullable(date);
  }

  /** {@code YYYY-MM-DD}, or {@code 0000-00-00} for the all-zero word. */
  @Override
  public String toString() {
    return date == null ? ZERO_TEXT : date.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SigStructDate other && Objects.equals(date, other.date);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(date);
  }
}
