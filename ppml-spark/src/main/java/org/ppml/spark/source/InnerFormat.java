package org.ppml.spark.source;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The Spark file formats {@code format("ppml")} can delegate to. */
public enum InnerFormat {
  CSV("csv", null),
  JSON("json", null),
  TEXT("text", null),
  PARQUET("parquet", null),
  ORC("orc", null),
  AVRO("avro", "org.apache.spark.sql.avro.AvroFileFormat");

  private final String sparkName;
  private final String requiredClass;

  InnerFormat(String sparkName, String requiredClass) {
    this.sparkName = sparkName;
    this.requiredClass = requiredClass;
  }

  /** The short name Spark knows the format by. */
  public String sparkName() {
    return sparkName;
  }

  /**
   * The format named {@code name}, case-insensitively.
   *
   * @throws IllegalArgumentException for an unknown name, or avro without spark-avro
   */
  public static InnerFormat of(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(
          "format(\"ppml\") needs option 'format': one of " + names());
    }
    InnerFormat format;
    try {
      format = valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown inner format '" + name + "' for format(\"ppml\"): use one of " + names());
    }
    if (format.requiredClass != null) {
      try {
        Class.forName(format.requiredClass, false, Thread.currentThread().getContextClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalArgumentException(
            "format 'avro' needs spark-avro on the class path (e.g. --packages org.apache.spark:spark-avro_2.12:<spark version>)");
      }
    }
    return format;
  }

  private static String names() {
    return Arrays.stream(values()).map(InnerFormat::sparkName).collect(Collectors.joining(", "));
  }
}
