package org.ppml.spark.fs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The settings that make a {@code ppml+<scheme>} usable by every Hadoop API and by Delta Lake.
 *
 * <ul>
 *   <li>{@code fs.ppml+<scheme>.impl}: {@link PpmlFileSystem} (the service loader already finds it
 *       for {@link #WELL_KNOWN}; other schemes need the setting);
 *   <li>{@code fs.AbstractFileSystem.ppml+<scheme>.impl}: {@link PpmlFs}, for {@code FileContext},
 *       which Delta's default log store commits through; Hadoop has no service loader for it;
 *   <li>{@code spark.delta.logStore.ppml+<scheme>.impl}: the log store Delta picks for the inner
 *       scheme. Delta chooses by scheme and does not know {@code ppml+s3a}, so without this it
 *       would commit to S3 through the HDFS log store, whose rename S3 does not make atomic.
 * </ul>
 */
public final class SchemeSettings {
  /** Inner schemes a session is configured for up front (those the service loader knows). */
  public static final List<String> WELL_KNOWN =
      List.of("file", "hdfs", "s3a", "gs", "abfs", "abfss");

  /** Prefix that makes Spark copy a setting into every Hadoop configuration it builds. */
  public static final String SPARK_HADOOP = "spark.hadoop.";

  // The defaults of Delta's DelegatingLogStore (delta-spark 3.x), by inner scheme; every other
  // scheme gets HDFSLogStore, which goes through PpmlFs.
  private static final Set<String> S3 = Set.of("s3", "s3a", "s3n");
  private static final Set<String> AZURE = Set.of("abfs", "abfss", "adl", "wasb", "wasbs");
  private static final Set<String> GCS = Set.of("gs");

  private SchemeSettings() {}

  /** The Hadoop settings for {@code ppmlScheme}: its classes for both file system APIs. */
  public static Map<String, String> hadoop(String ppmlScheme) {
    String scheme = checked(ppmlScheme);
    Map<String, String> out = new LinkedHashMap<>();
    out.put("fs." + scheme + ".impl", PpmlFileSystem.class.getName());
    out.put("fs.AbstractFileSystem." + scheme + ".impl", PpmlFs.class.getName());
    return out;
  }

  /**
   * The log store class Delta Lake would use for the scheme inside {@code ppmlScheme}, when it is
   * not the default one: {@code S3SingleDriverLogStore} for S3, {@code AzureLogStore} for ADLS and
   * WASB, {@code GCSLogStore} for GCS.
   */
  public static Optional<String> deltaLogStore(String ppmlScheme) {
    String inner = checked(ppmlScheme).substring(PpmlFileSystem.SCHEME_PREFIX.length());
    if (S3.contains(inner)) {
      return Optional.of("io.delta.storage.S3SingleDriverLogStore");
    }
    if (AZURE.contains(inner)) {
      return Optional.of("io.delta.storage.AzureLogStore");
    }
    if (GCS.contains(inner)) {
      return Optional.of("io.delta.storage.GCSLogStore");
    }
    return Optional.empty();
  }

  /** The Spark conf key Delta reads a scheme's log store from. */
  public static String deltaLogStoreKey(String ppmlScheme) {
    return "spark.delta.logStore." + checked(ppmlScheme) + ".impl";
  }

  /**
   * Spark conf entries for a session over {@code ppml+} paths of the {@link #WELL_KNOWN} schemes:
   * the Hadoop settings (as {@code spark.hadoop.*}) and Delta's log stores.
   */
  public static Map<String, String> session() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String inner : WELL_KNOWN) {
      String scheme = PpmlFileSystem.ppmlScheme(inner);
      hadoop(scheme).forEach((k, v) -> out.put(SPARK_HADOOP + k, v));
      deltaLogStore(scheme).ifPresent(c -> out.put(deltaLogStoreKey(scheme), c));
    }
    return out;
  }

  private static String checked(String ppmlScheme) {
    if (!PpmlFileSystem.isPpmlScheme(ppmlScheme)) {
      throw new IllegalArgumentException("not a ppml+<scheme> scheme: " + ppmlScheme);
    }
    return ppmlScheme.toLowerCase(Locale.ROOT);
  }
}
