package org.ppml.spark.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ppml.spark.conf.PpmlConf;
import org.ppml.spark.keys.KeyReleases;
import org.ppml.spark.testing.CiphertextWalk;
import org.ppml.spark.testing.DevBroker;
import org.ppml.spark.testing.SmallTables;

/**
 * Delta and Iceberg tables on {@code ppml+file://} with executors in their own JVMs ({@code
 * local-cluster[2,1,1024]}) that get every data key from the real key broker over TLS on loopback,
 * after simulated attestation. The same statements on plain {@code file://} give the same results;
 * every file is ciphertext; once the key's policy names another signer, no query reads.
 *
 * <p>Local-cluster outside a Spark distribution needs {@code spark.testing} and {@code
 * spark.test.home} (see {@code LocalClusterTest}).
 */
class TablesLocalClusterTest {
  private static final String MARKER = "cluster-plaintext-marker";
  private static Path dir;
  private static SparkSession spark;
  private static String previousTesting;
  private static String previousHome;

  private static DevBroker dev;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("ppml-tables-cluster");
    Files.createDirectories(dir.resolve("home/jars"));
    previousTesting = System.setProperty("spark.testing", "true");
    previousHome = System.setProperty("spark.test.home", dir.resolve("home").toString());
    dev = DevBroker.start(dir);
    dev.admin().createKey("tables", dev.devEnclavePolicy());
    SparkSession.Builder builder =
        SparkSession.builder()
            .master("local-cluster[2,1,1024]")
            .appName("ppml-tables-cluster")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.executor.memory", "512m")
            .config("spark.executor.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
            .config("spark.executorEnv.SPARK_SCALA_VERSION", "2.12")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.plugins", "org.ppml.spark.plugin.PpmlPlugin")
            .config(
                "spark.sql.extensions",
                "io.delta.sql.DeltaSparkSessionExtension,"
                    + "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
            .config(
                "spark.sql.catalog.spark_catalog",
                "org.apache.spark.sql.delta.catalog.DeltaCatalog")
            .config("spark.databricks.delta.retentionDurationCheck.enabled", "false")
            .config("spark.databricks.delta.snapshotPartitions", "2")
            .config("spark.sql.catalog.enc", "org.apache.iceberg.spark.SparkCatalog")
            .config("spark.sql.catalog.enc.type", "hadoop")
            .config("spark.sql.catalog.enc.warehouse", "ppml+file://" + dir.resolve("ice-enc"))
            .config("spark.sql.catalog.plain", "org.apache.iceberg.spark.SparkCatalog")
            .config("spark.sql.catalog.plain.type", "hadoop")
            .config("spark.sql.catalog.plain.warehouse", "file://" + dir.resolve("ice-plain"))
            .config(PpmlConf.SEGMENT_SIZE, "8192");
    dev.sparkConf("tables").forEach(builder::config);
    spark = builder.getOrCreate();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (spark != null) {
        spark.stop();
      }
      KeyReleases.closeAll();
      org.apache.hadoop.fs.FileSystem.closeAll();
      if (dev != null) {
        dev.close();
      }
    } finally {
      restore("spark.testing", previousTesting);
      restore("spark.test.home", previousHome);
    }
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }

  /** Runs {@code sql} with {@code $T} as each table; returns nothing. */
  private static void both(String enc, String plain, String sql) {
    spark.sql(sql.replace("$T", enc)).collect();
    spark.sql(sql.replace("$T", plain)).collect();
  }

  private static void assertSame(String enc, String plain, String query) {
    SmallTables.assertSameRows(
        spark.sql(query.replace("$T", plain)), spark.sql(query.replace("$T", enc)));
  }

  private static final String INSERT =
      "INSERT INTO $T SELECT id, concat('"
          + MARKER
          + "-', id), CAST(id % 3 AS STRING) FROM range(0, 400, 1, 4)";
  private static final String UPDATE = "UPDATE $T SET name = upper(name) WHERE id % 7 = 0";
  private static final String DELETE = "DELETE FROM $T WHERE id % 11 = 0";
  private static final String MERGE =
      "MERGE INTO $T t USING (SELECT id, concat('m', id) AS name, 'y' AS part FROM range(390,"
          + " 420)) s ON t.id = s.id WHEN MATCHED THEN UPDATE SET t.name = s.name WHEN NOT"
          + " MATCHED THEN INSERT *";

  @Test
  void deltaAndIcebergOnExecutorsThatReleaseKeysThroughTheBroker() throws Exception {
    // Delta, partitioned, with a checkpoint after 3 commits.
    Path deltaDir = dir.resolve("delta-enc");
    String dEnc = "delta.`ppml+file://" + deltaDir + "`";
    String dPlain = "delta.`file://" + dir.resolve("delta-plain") + "`";
    both(
        dEnc,
        dPlain,
        "CREATE TABLE $T (id BIGINT, name STRING, part STRING) USING delta PARTITIONED BY (part)"
            + " TBLPROPERTIES ('delta.checkpointInterval' = '3')");
    for (String op : List.of(INSERT, UPDATE, DELETE, MERGE, "OPTIMIZE $T")) {
      both(dEnc, dPlain, op);
    }
    assertSame(dEnc, dPlain, "SELECT * FROM $T VERSION AS OF 1");
    both(dEnc, dPlain, "VACUUM $T RETAIN 0 HOURS");
    assertSame(dEnc, dPlain, "SELECT * FROM $T");
    assertTrue(Files.exists(deltaDir.resolve("_delta_log/_last_checkpoint")));
    CiphertextWalk.assertAllCiphertext(deltaDir, MARKER);

    // Iceberg, partitioned, merge-on-read.
    String iEnc = "enc.db.t";
    String iPlain = "plain.db.t";
    both(
        iEnc,
        iPlain,
        "CREATE TABLE $T (id BIGINT, name STRING, part STRING) USING iceberg PARTITIONED BY"
            + " (part) TBLPROPERTIES ('format-version'='2', 'write.delete.mode'='merge-on-read',"
            + " 'write.update.mode'='merge-on-read', 'write.merge.mode'='merge-on-read')");
    for (String op : List.of(INSERT, UPDATE, DELETE, MERGE)) {
      both(iEnc, iPlain, op);
    }
    long firstEnc = firstSnapshot(iEnc);
    long firstPlain = firstSnapshot(iPlain);
    SmallTables.assertSameRows(
        spark.sql("SELECT * FROM " + iPlain + " VERSION AS OF " + firstPlain),
        spark.sql("SELECT * FROM " + iEnc + " VERSION AS OF " + firstEnc));
    both(
        "enc",
        "plain",
        "CALL $T.system.rewrite_data_files(table => 'db.t', options => map('min-input-files',"
            + " '1', 'delete-file-threshold', '1'))");
    both(
        "enc",
        "plain",
        "CALL $T.system.expire_snapshots(table => 'db.t', older_than => TIMESTAMP '2999-01-01"
            + " 00:00:00', retain_last => 1)");
    assertSame(iEnc, iPlain, "SELECT * FROM $T");
    CiphertextWalk.assertAllCiphertext(dir.resolve("ice-enc/db/t"), MARKER);

    // The keys were released in the executor JVMs, by the broker.
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    long driver = ProcessHandle.current().pid();
    Set<String> executors = new HashSet<>();
    int released = 0;
    for (String s :
        jsc.parallelize(List.of(1, 2, 3, 4, 5, 6, 7, 8), 8)
            .map(i -> ProcessHandle.current().pid() + ":" + KeyReleases.cachedKeyCount())
            .collect()) {
      String[] parts = s.split(":");
      assertTrue(Long.parseLong(parts[0]) != driver, "a task ran in the driver");
      executors.add(parts[0]);
      released = Math.max(released, Integer.parseInt(parts[1]));
    }
    assertEquals(2, executors.size());
    assertTrue(released > 0, "no executor holds a released key");
    assertTrue(
        dev.admin().audit(Instant.EPOCH).stream()
            .anyMatch(
                r ->
                    r.path("event").asText().equals("unwrap")
                        && r.path("decision").asText().equals("allow")),
        "releases are audited");

    // The policy names another signer: with every cache gone, nothing reads.
    dev.admin().setPolicy("tables", DevBroker.policy("00".repeat(32)));
    try {
      forgetEverywhere(jsc);
      assertThrows(Exception.class, () -> spark.sql("SELECT * FROM " + dEnc).collectAsList());
      forgetEverywhere(jsc);
      assertThrows(Exception.class, () -> spark.sql("SELECT * FROM " + iEnc).collectAsList());
      assertTrue(
          dev.admin().audit(Instant.EPOCH).stream()
              .anyMatch(r -> r.path("decision").asText().equals("deny")),
          "the denial is audited");
    } finally {
      dev.admin().setPolicy("tables", dev.devEnclavePolicy());
    }
  }

  private static long firstSnapshot(String table) {
    Dataset<Row> s = spark.sql("SELECT snapshot_id, parent_id FROM " + table + ".snapshots");
    return s.where("parent_id IS NULL").first().getLong(0);
  }

  /** Drops released keys in the driver and in both executors, and cached Delta state. */
  private static void forgetEverywhere(JavaSparkContext jsc) throws IOException {
    KeyReleases.closeAll();
    org.apache.spark.sql.delta.DeltaLog.clearCache();
    Set<Long> cleared = new HashSet<>();
    for (int attempt = 0; attempt < 10 && cleared.size() < 2; attempt++) {
      cleared.addAll(
          jsc.parallelize(List.of(1, 2, 3, 4, 5, 6, 7, 8), 8)
              .map(
                  i -> {
                    KeyReleases.closeAll();
                    return ProcessHandle.current().pid();
                  })
              .collect());
    }
    assertEquals(2, cleared.size(), "both executors dropped their keys");
  }
}
