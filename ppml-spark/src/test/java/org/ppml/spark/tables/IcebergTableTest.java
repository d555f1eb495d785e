package org.ppml.spark.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ppml.crypto.IntegrityException;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.local.LocalKms;
import org.ppml.crypto.testing.TestKeyStores;
import org.ppml.spark.conf.PpmlConf;
import org.ppml.spark.keys.KeyReleases;
import org.ppml.spark.testing.Causes;
import org.ppml.spark.testing.CiphertextWalk;
import org.ppml.spark.testing.PpmlTestSession;
import org.ppml.spark.testing.SmallTables;
import org.ppml.spark.testing.StartingGun;

/**
 * Apache Iceberg (Hadoop catalog) with its warehouse on {@code ppml+file://}: every operation gives
 * what it gives with the warehouse on plain {@code file://}, every file is ciphertext (metadata
 * JSON, version hint, Avro manifests, Parquet data and delete files), concurrent commits lose
 * nothing, and nothing reads without the key.
 */
class IcebergTableTest {
  private static final String MARKER = "iceberg-plaintext-marker";
  private static PpmlTestSession session;
  private static SparkSession spark;
  private static Path encWarehouse;
  private static LocalKms wrongStore;

  @BeforeAll
  static void start() throws IOException {
    Path base = Files.createTempDirectory("ppml-iceberg-wh");
    encWarehouse = base.resolve("enc");
    // Another key store with its own k1, and the key file that seals it.
    Path other = base.resolve("other-store");
    Files.createDirectories(other);
    wrongStore = TestKeyStores.withKeys(other, PpmlTestSession.KEY);
    String wrongKeyFile = other.resolve("test.key").toString();
    session =
        PpmlTestSession.start(
            8192,
            "spark.plugins",
            "org.ppml.spark.plugin.PpmlPlugin",
            "spark.sql.extensions",
            "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions",
            "spark.sql.catalog.enc",
            "org.apache.iceberg.spark.SparkCatalog",
            "spark.sql.catalog.enc.type",
            "hadoop",
            "spark.sql.catalog.enc.warehouse",
            "ppml+file://" + encWarehouse,
            "spark.sql.catalog.plain",
            "org.apache.iceberg.spark.SparkCatalog",
            "spark.sql.catalog.plain.type",
            "hadoop",
            "spark.sql.catalog.plain.warehouse",
            "file://" + base.resolve("plain"),
            // The encrypted warehouse seen with another store's k1, and with the right store
            // sealed under the wrong key file (a refused release). Uncached FileSystems, so that
            // these catalogs' settings are the ones used.
            "spark.sql.catalog.wrongkey",
            "org.apache.iceberg.spark.SparkCatalog",
            "spark.sql.catalog.wrongkey.type",
            "hadoop",
            "spark.sql.catalog.wrongkey.warehouse",
            "ppml+file://" + encWarehouse,
            "spark.sql.catalog.wrongkey.hadoop.fs.ppml+file.impl.disable.cache",
            "true",
            "spark.sql.catalog.wrongkey.hadoop." + PpmlConf.KMS_URL,
            wrongStore.reference(),
            "spark.sql.catalog.wrongkey.hadoop." + PpmlConf.KMS_KEY_FILE,
            wrongKeyFile,
            "spark.sql.catalog.denied",
            "org.apache.iceberg.spark.SparkCatalog",
            "spark.sql.catalog.denied.type",
            "hadoop",
            "spark.sql.catalog.denied.warehouse",
            "ppml+file://" + encWarehouse,
            "spark.sql.catalog.denied.hadoop.fs.ppml+file.impl.disable.cache",
            "true",
            "spark.sql.catalog.denied.hadoop." + PpmlConf.KMS_KEY_FILE,
            wrongKeyFile);
    spark = session.spark();
  }

  @AfterAll
  static void stop() throws IOException {
    try {
      if (session != null) {
        session.close();
      }
    } finally {
      if (wrongStore != null) {
        wrongStore.close();
      }
    }
  }

  private static void both(String sqlWithT) {
    spark.sql(sqlWithT.replace("$C", "enc")).collect();
    spark.sql(sqlWithT.replace("$C", "plain")).collect();
  }

  private static void assertSame(String queryWithC) {
    Dataset<Row> e = spark.sql(queryWithC.replace("$C", "enc"));
    Dataset<Row> p = spark.sql(queryWithC.replace("$C", "plain"));
    SmallTables.assertSameRows(p, e);
  }

  /** The id of the {@code n}th snapshot (0-based) of a table, following the parent links. */
  private static long snapshot(String catalog, String table, int n) {
    Map<Long, Long> childOf = new java.util.HashMap<>();
    long id = -1;
    for (Row r :
        spark
            .sql("SELECT snapshot_id, parent_id FROM " + catalog + "." + table + ".snapshots")
            .collectAsList()) {
      if (r.isNullAt(1)) {
        id = r.getLong(0);
      } else {
        childOf.put(r.getLong(1), r.getLong(0));
      }
    }
    for (int i = 0; i < n; i++) {
      id = childOf.get(id);
    }
    return id;
  }

  @Test
  void everyOperationMatchesPlainAndLeavesOnlyCiphertext() throws IOException {
    both(
        "CREATE TABLE $C.db.t (id BIGINT, name STRING, part STRING) USING iceberg PARTITIONED BY"
            + " (part) TBLPROPERTIES ('format-version'='2', 'write.delete.mode'='merge-on-read',"
            + " 'write.update.mode'='merge-on-read', 'write.merge.mode'='merge-on-read')");
    both(
        "INSERT INTO $C.db.t SELECT id, concat('"
            + MARKER
            + "-', id), CAST(id % 3 AS STRING) FROM range(0, 300, 1, 3)");
    both("INSERT INTO $C.db.t SELECT id, concat('n', id), 'x' FROM range(300, 400, 1, 2)");
    both("UPDATE $C.db.t SET name = upper(name) WHERE id % 7 = 0");
    both("DELETE FROM $C.db.t WHERE id % 11 = 0");
    both(
        "MERGE INTO $C.db.t t USING (SELECT id, concat('m', id) AS name, 'y' AS part FROM"
            + " range(390, 420)) s ON t.id = s.id WHEN MATCHED THEN UPDATE SET t.name = s.name"
            + " WHEN NOT MATCHED THEN INSERT *");
    assertSame("SELECT * FROM $C.db.t");
    assertSame("SELECT part, count(*), sum(id) FROM $C.db.t GROUP BY part");
    // Time travel to the second snapshot (after the append), by each table's own snapshot id.
    SmallTables.assertSameRows(
        spark.sql("SELECT * FROM plain.db.t VERSION AS OF " + snapshot("plain", "db.t", 1)),
        spark.sql("SELECT * FROM enc.db.t VERSION AS OF " + snapshot("enc", "db.t", 1)));
    // Merge-on-read really wrote delete files (the encrypted ones included).
    assertTrue(
        spark.sql("SELECT * FROM enc.db.t.files WHERE content > 0").count() > 0, "no delete files");

    both(
        "CALL $C.system.rewrite_data_files(table => 'db.t', options => map('min-input-files',"
            + " '1', 'delete-file-threshold', '1'))");
    assertSame("SELECT * FROM $C.db.t");
    both(
        "CALL $C.system.expire_snapshots(table => 'db.t', older_than => TIMESTAMP '2999-01-01"
            + " 00:00:00', retain_last => 1)");
    assertSame("SELECT * FROM $C.db.t");
    assertEquals(1L, spark.sql("SELECT * FROM enc.db.t.snapshots").count());
    assertSame("SELECT count(*) FROM $C.db.t.snapshots");
    assertSame("SELECT partition, record_count FROM $C.db.t.partitions");

    Path table = encWarehouse.resolve("db/t");
    assertTrue(Files.isDirectory(table.resolve("data/part=y")));
    List<String> files = CiphertextWalk.assertAllCiphertext(table, MARKER);
    assertTrue(files.contains("metadata/version-hint.text"), files.toString());
    assertTrue(files.stream().anyMatch(f -> f.endsWith(".avro")), files.toString());
    assertTrue(files.stream().anyMatch(f -> f.endsWith(".metadata.json")), files.toString());
  }

  /**
   * Writers appending at once: Iceberg's Hadoop catalog commits each metadata version by a rename
   * that must not replace another writer's; losers retry on the new version, so every append lands
   * and the metadata versions have no gap.
   */
  @Test
  void concurrentAppendsAllLand() throws Exception {
    spark.sql("CREATE TABLE enc.db.c (id BIGINT, w INT) USING iceberg").collect();
    int writers = 4;
    StartingGun.race(
        writers,
        w ->
            spark
                .sql(
                    "INSERT INTO enc.db.c SELECT id, "
                        + w
                        + " FROM range("
                        + w * 100
                        + ", "
                        + (w * 100 + 100)
                        + ")")
                .collect());
    Row r =
        spark.sql("SELECT count(*), count(DISTINCT id), count(DISTINCT w) FROM enc.db.c").first();
    assertEquals(400L, r.getLong(0));
    assertEquals(400L, r.getLong(1));
    assertEquals(4L, r.getLong(2));
    assertEquals(4L, spark.sql("SELECT * FROM enc.db.c.snapshots").count());
    Path metadata = encWarehouse.resolve("db/c/metadata");
    for (int v = 1; v <= writers + 1; v++) {
      assertTrue(Files.exists(metadata.resolve("v" + v + ".metadata.json")), "v" + v);
    }
  }

  @Test
  void noQuerySucceedsWithAWrongKeyOrADeniedRelease() throws Exception {
    spark.sql("CREATE TABLE enc.db.k USING iceberg AS SELECT id FROM range(10)").collect();
    assertEquals(10L, spark.sql("SELECT count(*) FROM enc.db.k").first().getLong(0));
    for (var expected :
        List.of(
            Map.entry("wrongkey", IntegrityException.class),
            Map.entry("denied", KmsException.class))) {
      String catalog = expected.getKey();
      // Keys released for the right catalog must not serve the wrong one.
      KeyReleases.closeAll();
      Exception e =
          assertThrows(
              Exception.class,
              () -> spark.sql("SELECT * FROM " + catalog + ".db.k").collectAsList(),
              catalog);
      assertTrue(Causes.includes(e, expected.getValue()), catalog + ": " + e);
    }
    assertEquals(10L, spark.sql("SELECT count(*) FROM enc.db.k").first().getLong(0));
  }
}
