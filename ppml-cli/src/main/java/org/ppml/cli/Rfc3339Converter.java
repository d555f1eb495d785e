package org.ppml.cli;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --at}, {@code --since}: an RFC 3339 time with its offset, e.g. {@code
 * 2025-07-19T10:01:17Z}.
 */
public final class Rfc3339Converter implements ITypeConverter<Instant> {
  @Override
  public Instant convert(String value) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw new TypeConversionException(
          "'" + value + "' is not an RFC 3339 time such as 2025-07-19T10:01:17Z");
    }
  }
}
