package org.ppml.cli.enclave;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --date YYYY-MM-DD}: the SIGSTRUCT DATE. It is signed, so a reproducible build must fix it;
 * without it, today (UTC) is used, as gramine-sgx-sign uses today.
 */
public final class SigningDateOption {
  @Option(
      names = "--date",
      paramLabel = "YYYY-MM-DD",
      converter = IsoDate.class,
      description = "SIGSTRUCT date (signed; fix it for reproducible builds). Default: today, UTC.")
  LocalDate date;

  public LocalDate date() {
    return date != null ? date : LocalDate.now(ZoneOffset.UTC);
  }

  static final class IsoDate implements ITypeConverter<LocalDate> {
    @Override
    public LocalDate convert(String value) {
      try {
        LocalDate d = LocalDate.parse(value);
        if (d.getYear() < 0 || d.getYear() > 9999) {
          throw new TypeConversionException(
              "'" + value + "': a SIGSTRUCT date has a year in 0..9999");
        }
        return d;
      } catch (DateTimeParseException e) {
        throw new TypeConversionException("'" + value + "' is not a date in the form YYYY-MM-DD");
      }
    }
  }
}
