package org.ppml.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.ppml.crypto.kms.KmsCredentials;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.local.LocalKms;
import org.ppml.spark.keys.KeyReleases;

/**
 * What every example starts from: a working directory with a local key store (Stage 1, sealed by a
 * key file) holding the keys the example names, and a local Spark session configured for {@code
 * format("ppml")}. Against a key broker only the {@code spark.ppml.kms.*} settings change
 * (docs/deployment.md); the job code stays the same.
 */
public final class ExampleSession implements AutoCloseable {
  private final Path work;
  private final SparkSession spark;

  private ExampleSession(Path work, SparkSession spark) {
    this.work = work;
    this.spark = spark;
  }

  /**
   * @param work the example's directory (created)
   * @param writeKey the primary key writes use ({@code spark.ppml.key})
   * @param keys every key the example needs, created if missing
   */
  public static ExampleSession start(Path work, String writeKey, String... keys)
      throws IOException {
    return start(work, writeKey, Map.of(), keys);
  }

  /**
   * @param extra more Spark settings (a table format's extensions and catalogs)
   */
  public static ExampleSession start(
      Path work, String writeKey, Map<String, String> extra, String... keys) throws IOException {
    Files.createDirectories(work);
    Path store = work.resolve("keys");
    Path keyFile = work.resolve("keystore.key");
    try (LocalKms kms = LocalKms.open(store, KmsCredentials.of(null, keyFile))) {
      for (String k : keys) {
        try {
          kms.createKey(k);
        } catch (KmsException e) {
          if (e.reason() != KmsException.Reason.KEY_EXISTS) {
            throw e;
          }
        }
      }
    }
    SparkSession.Builder builder =
        SparkSession.builder()
            .master("local[2]")
            .appName("ppml-example")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.sql.warehouse.dir", work.resolve("warehouse").toString())
            .config("spark.ppml.kms.url", "local:" + store)
            .config("spark.ppml.kms.keyFile", keyFile.toString())
            .config("spark.ppml.key", writeKey)
            .config("spark.ppml.mode", "dev");
    extra.forEach(builder::config);
    SparkSession spark = builder.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return new ExampleSession(work, spark);
  }

  public SparkSession spark() {
    return spark;
  }

  /** A path in the example's directory. */
  public Path path(String name) {
    return work.resolve(name);
  }

  /** The directory from the first argument, or a fresh temporary one. */
  public static Path workDir(String[] args, String name) throws IOException {
    return args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("ppml-example-" + name);
  }

  /** The row count from the second argument, or a default. */
  public static int rows(String[] args, int fallback) {
    return args.length > 1 ? Integer.parseInt(args[1]) : fallback;
  }

  @Override
  public void close() throws IOException {
    spark.stop();
    // Hadoop caches FileSystems per scheme for the JVM, with the configuration of the session that
    // made them (its key store); a later session in this JVM (ExamplesTest runs them all) must get
    // its own, and no key released for this one.
    FileSystem.closeAll();
    KeyReleases.closeAll();
  }
}
