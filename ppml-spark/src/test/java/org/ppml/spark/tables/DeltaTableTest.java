package org.ppml.spark.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.storage.HDFSLogStore;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.storage.DelegatingLogStore;
import org.apache.spark.sql.delta.storage.LogStoreAdaptor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ppml.crypto.IntegrityException;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.local.LocalKms;
import org.ppml.crypto.testing.TestKeyStores;
import org.ppml.spark.conf.PpmlConf;
import org.ppml.spark.fs.SchemeSettings;
import org.ppml.spark.keys.KeyReleases;
import org.ppml.spark.testing.Causes;
import org.ppml.spark.testing.CiphertextWalk;
import org.ppml.spark.testing.PpmlTestSession;
import org.ppml.spark.testing.SmallTables;
import org.ppml.spark.testing.StartingGun;

/**
 * Delta Lake on {@code ppml+file://}, configured only by the plugin: every operation gives what the
 * same operation gives on plain {@code file://}, every file Delta leaves is ciphertext, commits of
 * one version by racing writers have exactly one winner, and nothing reads without the key.
 */
class DeltaTableTest {
  private static final String MARKER = "delta-plaintext-marker";
  private static PpmlTestSession session;
  private static SparkSession spark;

  @BeforeAll
  static void start() throws IOException {
    session =
        PpmlTestSession.start(
            8192,
            "spark.plugins",
            "org.ppml.spark.plugin.PpmlPlugin",
            "spark.sql.extensions",
            "io.delta.sql.DeltaSparkSessionExtension",
            "spark.sql.catalog.spark_catalog",
            "org.apache.spark.sql.delta.catalog.DeltaCatalog",
            "spark.databricks.delta.retentionDurationCheck.enabled",
            "false",
            "spark.databricks.delta.snapshotPartitions",
            "2",
            // Delta logs VACUUM in the table's history on some file systems only; on both here.
            "spark.databricks.delta.vacuum.logging.enabled",
            "true");
    spark = session.spark();
  }

  @AfterAll
  static void stop() throws IOException {
    if (session != null) {
      session.close();
    }
  }

  /** The same SQL on the encrypted and the plain table; the results must be equal. */
  private static void both(String enc, String plain, String sqlWithT) {
    spark.sql(sqlWithT.replace("$T", "delta.`" + enc + "`")).collect();
    spark.sql(sqlWithT.replace("$T", "delta.`" + plain + "`")).collect();
  }

  private static void assertSame(String enc, String plain, String queryWithT) {
    Dataset<Row> e = spark.sql(queryWithT.replace("$T", "delta.`" + enc + "`"));
    Dataset<Row> p = spark.sql(queryWithT.replace("$T", "delta.`" + plain + "`"));
    SmallTables.assertSameRows(p, e);
  }

  @Test
  void everyOperationMatchesPlainAndLeavesOnlyCiphertext() throws IOException {
    Path encDir = session.newPath("delta-enc");
    Path plainDir = session.newPath("delta-plain");
    String enc = "ppml+file://" + encDir;
    String plain = "file://" + plainDir;
    both(
        enc,
        plain,
        "CREATE TABLE $T (id BIGINT, name STRING, part STRING) USING delta PARTITIONED BY (part)"
            + " TBLPROPERTIES ('delta.checkpointInterval' = '3')");
    both(
        enc,
        plain,
        "INSERT INTO $T SELECT id, concat('"
            + MARKER
            + "-', id), CAST(id % 3 AS STRING) FROM range(0, 300, 1, 3)");
    both(enc, plain, "INSERT INTO $T SELECT id, concat('n', id), 'x' FROM range(300, 400, 1, 2)");
    both(enc, plain, "UPDATE $T SET name = upper(name) WHERE id % 7 = 0");
    both(enc, plain, "DELETE FROM $T WHERE id % 11 = 0");
    both(
        enc,
        plain,
        "MERGE INTO $T t USING (SELECT id, concat('m', id) AS name, 'y' AS part FROM range(390,"
            + " 420)) s ON t.id = s.id WHEN MATCHED THEN UPDATE SET t.name = s.name WHEN NOT"
            + " MATCHED THEN INSERT *");
    assertSame(enc, plain, "SELECT * FROM $T");
    assertSame(enc, plain, "SELECT * FROM $T VERSION AS OF 2");
    assertSame(enc, plain, "SELECT part, count(*), sum(id) FROM $T GROUP BY part");

    // Partitioned: one directory per value, as on plain storage (the names stay visible).
    assertTrue(Files.isDirectory(encDir.resolve("part=0")));
    assertTrue(Files.isDirectory(encDir.resolve("part=y")));
    // Checkpoints every 3 commits: the checkpoint Parquet and _last_checkpoint, both encrypted.
    assertTrue(Files.exists(encDir.resolve("_delta_log/_last_checkpoint")));
    assertTrue(Files.exists(encDir.resolve("_delta_log/00000000000000000003.checkpoint.parquet")));

    long before = spark.sql("SELECT count(*) FROM delta.`" + enc + "`").first().getLong(0);
    both(enc, plain, "OPTIMIZE $T");
    assertSame(enc, plain, "SELECT * FROM $T");
    both(enc, plain, "VACUUM $T RETAIN 0 HOURS");
    assertSame(enc, plain, "SELECT * FROM $T");
    assertEquals(before, spark.sql("SELECT count(*) FROM delta.`" + enc + "`").first().getLong(0));
    // VACUUM removed the files OPTIMIZE replaced, on both sides alike.
    assertEquals(dataFileCount(plainDir), dataFileCount(encDir));
    SmallTables.assertSameRows(
        spark.sql("DESCRIBE HISTORY delta.`" + plain + "`").select("version", "operation"),
        spark.sql("DESCRIBE HISTORY delta.`" + enc + "`").select("version", "operation"));

    List<String> files = CiphertextWalk.assertAllCiphertext(encDir, MARKER);
    assertTrue(files.contains("_delta_log/00000000000000000000.json"), files.toString());
    assertTrue(files.contains("_delta_log/_last_checkpoint"), files.toString());
  }

  private static long dataFileCount(Path dir) throws IOException {
    try (var s = Files.walk(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .filter(p -> !p.toString().contains("_delta_log"))
          .count();
    }
  }

  /**
   * Delta's own HDFSLogStore, through FileContext on {@code ppml+file}: writers racing to write one
   * version file, round after round; exactly one wins each round and its entry is the one on disk.
   */
  @Test
  void racingWritersOfOneVersionHaveExactlyOneWinner() throws Exception {
    Path log = session.newPath("race/_delta_log");
    Files.createDirectories(log);
    Configuration conf = spark.sessionState().newHadoopConf();
    HDFSLogStore store = new HDFSLogStore(conf);
    for (int round = 0; round < 15; round++) {
      int r = round;
      org.apache.hadoop.fs.Path version =
          new org.apache.hadoop.fs.Path("ppml+file://" + log + String.format("/%020d.json", round));
      List<Integer> winners =
          StartingGun.winners(
              StartingGun.race(
                  6,
                  w -> {
                    String entry = "{\"writer\":" + w + ",\"round\":" + r + "}";
                    try {
                      store.write(version, List.of(entry).iterator(), false, conf);
                      return true;
                    } catch (FileAlreadyExistsException e) {
                      return false;
                    }
                  }));
      assertEquals(1, winners.size(), "round " + round + " winners " + winners);
      List<String> onDisk = new ArrayList<>();
      store.read(version, conf).forEachRemaining(onDisk::add);
      assertEquals(List.of("{\"writer\":" + winners.get(0) + ",\"round\":" + round + "}"), onDisk);
    }
    // No temporary file is left behind, and every version file is ciphertext.
    CiphertextWalk.assertAllCiphertext(log, "\"writer\"");
    try (var s = Files.list(log)) {
      assertEquals(15, s.filter(p -> p.getFileName().toString().endsWith(".json")).count());
    }
  }

  /** Concurrent appends through Spark: Delta retries losers at the next version; none is lost. */
  @Test
  void concurrentAppendsAllLand() throws Exception {
    String table = "ppml+file://" + session.newPath("delta-concurrent");
    spark.sql("CREATE TABLE delta.`" + table + "` (id BIGINT, w INT) USING delta");
    int writers = 4;
    StartingGun.race(
        writers,
        w ->
            spark
                .sql(
                    "INSERT INTO delta.`"
                        + table
                        + "` SELECT id, "
                        + w
                        + " FROM range("
                        + w * 100
                        + ", "
                        + (w * 100 + 100)
                        + ")")
                .collect());
    Row r =
        spark
            .sql(
                "SELECT count(*), count(DISTINCT id), count(DISTINCT w) FROM delta.`" + table + "`")
            .first();
    assertEquals(400L, r.getLong(0));
    assertEquals(400L, r.getLong(1));
    assertEquals(4L, r.getLong(2));
    assertEquals(
        writers + 1L,
        spark.sql("DESCRIBE HISTORY delta.`" + table + "`").count(),
        "one commit per writer after the create");
  }

  /** Delta picks, for ppml+s3a/gs/abfs(s), the log store it picks for the inner scheme. */
  @Test
  void objectStoresGetTheLogStoreOfTheirInnerScheme() {
    DelegatingLogStore delegating = new DelegatingLogStore(spark.sessionState().newHadoopConf());
    for (String inner :
        List.of("s3a", "s3", "s3n", "gs", "abfs", "abfss", "wasbs", "hdfs", "file")) {
      String ppml = "ppml+" + inner;
      String expected =
          DelegatingLogStore.getDefaultLogStoreClassName(inner)
              .getOrElse(() -> DelegatingLogStore.defaultHDFSLogStoreClassName());
      assertEquals(
          expected, SchemeSettings.deltaLogStore(ppml).orElse(HDFSLogStore.class.getName()), ppml);
      if (SchemeSettings.WELL_KNOWN.contains(inner)) {
        // What the plugin set is what Delta resolves (constructing a log store touches no bucket).
        var store =
            delegating.getDelegate(new org.apache.hadoop.fs.Path(ppml + "://b/t/_delta_log"));
        assertEquals(expected, ((LogStoreAdaptor) store).logStoreImpl().getClass().getName(), ppml);
      }
    }
  }

  /** A key store whose k1 is another key, or one that cannot be unsealed: nothing reads. */
  @Test
  void noQuerySucceedsWithAWrongKeyOrADeniedRelease() throws Exception {
    String table = "ppml+file://" + session.newPath("delta-keys");
    spark.sql("CREATE TABLE delta.`" + table + "` USING delta AS SELECT id FROM range(10)");
    assertEquals(10L, spark.sql("SELECT count(*) FROM delta.`" + table + "`").first().getLong(0));

    Path other = Files.createTempDirectory(session.dir(), "other-store");
    try (LocalKms wrong = TestKeyStores.withKeys(other, PpmlTestSession.KEY)) {
      String wrongStore = wrong.reference();
      String wrongKeyFile = other.resolve("test.key").toString();
      // Another store's k1: the files name the store that holds their key, and are refused.
      assertUnreadable(table, wrongStore, wrongKeyFile, IntegrityException.class);
      // The right store, under another key file: the store does not open, nothing is released.
      assertUnreadable(table, spark.conf().get(PpmlConf.KMS_URL), wrongKeyFile, KmsException.class);
    } finally {
      forgetKeys();
    }
    assertEquals(10L, spark.sql("SELECT count(*) FROM delta.`" + table + "`").first().getLong(0));
  }

  private static void assertUnreadable(
      String table, String store, String keyFile, Class<? extends Exception> why) {
    String store0 = spark.conf().get(PpmlConf.KMS_URL);
    String keyFile0 = spark.conf().get(PpmlConf.KMS_KEY_FILE);
    try {
      forgetKeys();
      spark.conf().set(PpmlConf.KMS_URL, store);
      spark.conf().set(PpmlConf.KMS_KEY_FILE, keyFile);
      Exception e =
          assertThrows(
              Exception.class,
              () -> spark.sql("SELECT * FROM delta.`" + table + "`").collectAsList());
      assertTrue(Causes.includes(e, why), "not refused by " + why.getSimpleName() + ": " + e);
    } finally {
      spark.conf().set(PpmlConf.KMS_URL, store0);
      spark.conf().set(PpmlConf.KMS_KEY_FILE, keyFile0);
    }
  }

  /** Forget released keys, cached FileSystems and Delta's cached log state. */
  private static void forgetKeys() {
    KeyReleases.closeAll();
    try {
      org.apache.hadoop.fs.FileSystem.closeAll();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    DeltaLog.clearCache();
  }
}
