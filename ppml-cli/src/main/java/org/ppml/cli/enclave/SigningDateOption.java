package org.ppml.cli.enclave;

import java.time.LocalDate;
import java.time.ZoneOffset;
import org.ppml.cli.ErrorReporter;
import org.ppml.enclave.sgx.SigStructDate;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --date YYYY-MM-DD}: the SIGSTRUCT DATE. It is signed, so a reproducible build must fix it;
 * without it, today (UTC) is used, as gramine-sgx-sign uses today. {@code 0000-00-00} is the
 * all-zero word some signers write (Enarx does), so their SIGSTRUCTs can be reproduced.
 */
public final class SigningDateOption {
  @Option(
      names = "--date",
      paramLabel = "YYYY-MM-DD",
      converter = DateText.class,
      description =
          "SIGSTRUCT date (signed; fix it for reproducible builds), or 0000-00-00 for the all-zero word. Default: today, UTC.")
  SigStructDate date;

  /** The DATE to sign: the given value (a date or the all-zero word), else today in UTC. */
  public SigStructDate sigStructDate() {
    return date != null ? date : SigStructDate.of(LocalDate.now(ZoneOffset.UTC));
  }

  /**
   * The DATE as a calendar date, for signers that write only real dates (gramine-sgx-sign's).
   *
   * @throws ErrorReporter.UsageError for {@code 0000-00-00}
   */
  public LocalDate date() {
    return sigStructDate()
        .localDate()
        .orElseThrow(
            () ->
                new ErrorReporter.UsageError(
                    "--date "
                        + SigStructDate.ZERO_TEXT
                        + " is for ppml enclave sign and gendata; gramine-sgx-sign writes a real date"));
  }

  static final class DateText implements ITypeConverter<SigStructDate> {
    @Override
    public SigStructDate convert(String value) {
      try {
        return SigStructDate.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
