package org.ppml.cli.quote;

import org.ppml.attestation.dcap.CrlMode;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --crl strict|lenient|off}. */
final class CrlModeConverter implements ITypeConverter<CrlMode> {
  @Override
  public CrlMode convert(String value) {
    try {
      return CrlMode.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
