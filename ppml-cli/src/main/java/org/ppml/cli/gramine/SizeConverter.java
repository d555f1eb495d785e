package org.ppml.cli.gramine;

import java.util.Locale;
import org.ppml.graphene.manifest.GramineManifestException;
import org.ppml.graphene.manifest.GramineSize;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Sizes such as {@code 8g} or {@code 256M}: the JVM's {@code -Xmx} spelling and Gramine's both
 * work.
 */
final class SizeConverter implements ITypeConverter<Long> {
  @Override
  public Long convert(String value) {
    try {
      return GramineSize.parse("size", value.toUpperCase(Locale.ROOT).replace("0X", "0x"));
    } catch (GramineManifestException e) {
      throw new TypeConversionException(
          "'" + value + "' is not a size such as 8g, 512M or 1073741824");
    }
  }
}
