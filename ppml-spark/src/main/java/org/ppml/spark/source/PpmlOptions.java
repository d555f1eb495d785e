package org.ppml.spark.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ppml.crypto.json.StrictJsonMapper;
import org.ppml.spark.conf.PpmlConf;
import org.ppml.spark.pme.ParquetEncryptionSettings;

/**
 * The options of one {@code format("ppml")} read or write, parsed once: ours are taken out, and
 * every other option passes through to the inner format untouched (original case kept, because
 * options also reach the job's case-sensitive Hadoop configuration).
 */
public final class PpmlOptions {
  /** The inner format: csv, json, text, parquet, orc or avro. */
  public static final String FORMAT = "format";

  /** Per-write primary key; overrides {@code spark.ppml.key}. */
  public static final String KEY = "key";

  /** Whole-file encryption ({@code file}) or Parquet modular encryption ({@code pme}). */
  public static final String ENCRYPTION = "encryption";

  /** One path. */
  public static final String PATH = "path";

  /** Several paths, as a JSON array (how Spark passes {@code load(p1, p2)} to some sources). */
  public static final String PATHS = "paths";

  /** Spark's option carrying {@code partitionBy} columns to a V1 source, as a JSON array. */
  public static final String PARTITION_COLUMNS = "__partition_columns";

  private static final Set<String> OURS =
      Set.of(FORMAT, KEY, ENCRYPTION, PATH, PATHS, PARTITION_COLUMNS);
  private static final ObjectMapper JSON = StrictJsonMapper.create();

  private final InnerFormat format;
  private final PpmlConf.Encryption encryption;
  private final Map<String, String> pmeOptions;
  private final String key;
  private final List<String> paths;
  private final List<String> partitionColumns;
  private final Map<String, String> passThrough;

  private PpmlOptions(
      InnerFormat format,
      PpmlConf.Encryption encryption,
      Map<String, String> pmeOptions,
      String key,
      List<String> paths,
      List<String> partitionColumns,
      Map<String, String> passThrough) {
    this.format = format;
    this.encryption = encryption;
    this.pmeOptions = pmeOptions;
    this.key = key;
    this.paths = paths;
    this.partitionColumns = partitionColumns;
    this.passThrough = passThrough;
  }

  /**
   * Parses the options Spark passed to the source.
   *
   * @param defaultEncryption the encryption when option {@code encryption} is absent
   * @throws IllegalArgumentException on a missing or unknown format, or options that do not fit
   */
  public static PpmlOptions parse(
      Map<String, String> options, PpmlConf.Encryption defaultEncryption) {
    Map<String, String> lower = new LinkedHashMap<>();
    Map<String, String> passThrough = new LinkedHashMap<>();
    Map<String, String> pme = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : options.entrySet()) {
      String k = e.getKey().toLowerCase(Locale.ROOT);
      lower.put(k, e.getValue());
      if (ParquetEncryptionSettings.OPTIONS.contains(k)) {
        pme.put(k, e.getValue());
      } else if (!OURS.contains(k)) {
        passThrough.put(e.getKey(), e.getValue());
      }
    }
    InnerFormat format = InnerFormat.of(lower.get(FORMAT));
    PpmlConf.Encryption encryption =
        lower.get(ENCRYPTION) == null
            ? defaultEncryption
            : PpmlConf.Encryption.of(lower.get(ENCRYPTION), "option encryption");
    if (encryption == PpmlConf.Encryption.PME && format != InnerFormat.PARQUET) {
      throw new IllegalArgumentException(
          "encryption 'pme' (Parquet modular encryption) needs format 'parquet', not '"
              + format.sparkName()
              + "'");
    }
    if (encryption == PpmlConf.Encryption.FILE && !pme.isEmpty()) {
      throw new IllegalArgumentException(
          "options " + pme.keySet() + " apply only with encryption 'pme'");
    }
    List<String> paths = new ArrayList<>();
    if (lower.get(PATH) != null) {
      paths.add(lower.get(PATH));
    }
    if (lower.get(PATHS) != null) {
      paths.addAll(jsonArray(PATHS, lower.get(PATHS)));
    }
    List<String> partitionColumns =
        lower.get(PARTITION_COLUMNS) == null
            ? List.of()
            : jsonArray(PARTITION_COLUMNS, lower.get(PARTITION_COLUMNS));
    String key = lower.get(KEY);
    return new PpmlOptions(
        format,
        encryption,
        Collections.unmodifiableMap(pme),
        key == null || key.isBlank() ? null : key,
        List.copyOf(paths),
        List.copyOf(partitionColumns),
        Collections.unmodifiableMap(passThrough));
  }

  private static List<String> jsonArray(String option, String text) {
    try {
      String[] values = JSON.readValue(text, String[].class);
      return values == null ? List.of() : List.of(values);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("option '" + option + "' must be a JSON array of strings");
    }
  }

  public InnerFormat format() {
    return format;
  }

  /** Whole-file or Parquet modular encryption. */
  public PpmlConf.Encryption encryption() {
    return encryption;
  }

  /** The Parquet modular encryption options, keys in lower case. */
  public Map<String, String> pmeOptions() {
    return pmeOptions;
  }

  /** The per-write key, if given. */
  public Optional<String> key() {
    return Optional.ofNullable(key);
  }

  /** The paths as the user gave them (not yet rewritten to {@code ppml+}). */
  public List<String> paths() {
    return paths;
  }

  /** The single output path of a write. */
  public String outputPath() {
    if (paths.size() != 1) {
      throw new IllegalArgumentException(
          "format(\"ppml\") writes need exactly one path, got " + paths.size());
    }
    return paths.get(0);
  }

  /** {@code partitionBy} columns of a write. */
  public List<String> partitionColumns() {
    return partitionColumns;
  }

  /** Every option that is not ours, for the inner format. */
  public Map<String, String> passThrough() {
    return passThrough;
  }

  @Override
  public String toString() {
    return "PpmlOptions[format="
        + format.sparkName()
        + ", key="
        + key
        + ", paths="
        + paths
        + ", options="
        + passThrough.keySet()
        + "]";
  }
}
