package org.ppml.spark.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ppml.crypto.envelope.EnvelopeHeader;
import org.ppml.spark.testing.PpmlTestSession;

/** {@code USING ppml} tables: CREATE TABLE, SELECT, INSERT INTO and CTAS. */
class PpmlSqlTest {
  private static PpmlTestSession session;
  private static SparkSession spark;

  @BeforeAll
  static void start() throws IOException {
    // The plugin in dev mode: it must only warn, and the session must work as without it.
    session =
        PpmlTestSession.start(
            4096, "spark.plugins", org.ppml.spark.plugin.PpmlPlugin.class.getName());
    spark = session.spark();
  }

  @AfterAll
  static void stop() throws IOException {
    session.close();
  }

  private static void assertAllPpml(Path root) throws IOException {
    List<Path> files = PpmlTestSession.dataFiles(root);
    assertFalse(files.isEmpty(), "no data files under " + root);
    for (Path f : files) {
      try (InputStream in = Files.newInputStream(f)) {
        assertTrue(EnvelopeHeader.hasMagic(in.readNBytes(4)), f + " is not a PPML file");
      }
    }
  }

  private static List<String> rows(String sql) {
    return spark.sql(sql).collectAsList().stream().map(Row::toString).toList();
  }

  @Test
  void createTableOverAnEncryptedCsvDirectoryInfersTheSchema() throws IOException {
    Path dir = session.newPath("people");
    spark
        .sql("SELECT id, concat('p', id) AS name, id % 4 AS team FROM range(40)")
        .write()
        .format("ppml")
        .option("format", "csv")
        .option("header", "true")
        .save(dir.toString());
    spark.sql(
        "CREATE TABLE people USING ppml OPTIONS (format 'csv', path '"
            + dir
            + "', header 'true', inferSchema 'true')");
    assertEquals(
        List.of("[id,int]", "[name,string]", "[team,int]"),
        spark.sql("DESCRIBE people").select("col_name", "data_type").collectAsList().stream()
            .map(Row::toString)
            .toList());
    assertEquals(
        List.of("[0,10]", "[1,10]", "[2,10]", "[3,10]"),
        rows("SELECT team, count(*) FROM people GROUP BY team ORDER BY team"));

    spark.sql("INSERT INTO people VALUES (100, 'new', 1)");
    assertEquals(List.of("[41]"), rows("SELECT count(*) FROM people"));
    assertEquals(List.of("[new]"), rows("SELECT name FROM people WHERE id = 100"));
    assertAllPpml(dir);
  }

  @Test
  void createTableWithSchemaThenInsertAndSelect() throws IOException {
    Path dir = session.newPath("events");
    spark.sql(
        "CREATE TABLE events (id INT, kind STRING, at TIMESTAMP) USING ppml OPTIONS (format 'parquet', path '"
            + dir
            + "')");
    spark.sql(
        "INSERT INTO events VALUES (1, 'a', TIMESTAMP '2024-01-01 00:00:00'), (2, 'b', NULL)");
    spark.sql("INSERT INTO events SELECT CAST(id AS INT), 'c', NULL FROM range(3, 10)");
    assertEquals(
        List.of("[9,7]"), rows("SELECT count(*), count(IF(kind = 'c', 1, NULL)) FROM events"));
    assertEquals(List.of("[1,a,2024-01-01 00:00:00.0]"), rows("SELECT * FROM events WHERE id = 1"));
    assertAllPpml(dir);
  }

  @Test
  void createTableAsSelectWritesAManagedEncryptedTable() throws IOException {
    spark.sql(
        "CREATE TABLE totals USING ppml OPTIONS (format 'orc') AS "
            + "SELECT id % 3 AS k, sum(id) AS total FROM range(100) GROUP BY id % 3");
    assertEquals(
        List.of("[0,1683]", "[1,1617]", "[2,1650]"), rows("SELECT * FROM totals ORDER BY k"));
    Path location = session.dir().resolve("warehouse").resolve("totals");
    assertTrue(Files.isDirectory(location), location.toString());
    assertAllPpml(location);

    spark.sql(
        "CREATE TABLE totals_json USING ppml OPTIONS (format 'json', key 'k1') AS SELECT k, total * 2 AS twice FROM totals");
    assertEquals(List.of("[3300]"), rows("SELECT twice FROM totals_json WHERE k = 2"));
    assertAllPpml(session.dir().resolve("warehouse").resolve("totals_json"));
  }
}
