package org.ppml.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every example runs in CI at a small size, and leaves only encrypted data behind. */
class ExamplesTest {
  @TempDir Path dir;

  /** Every regular data file under {@code root} starts with the PPML magic. */
  private static void assertAllPpml(Path root) throws IOException {
    List<Path> data;
    try (Stream<Path> walk = Files.walk(root)) {
      data =
          walk.filter(Files::isRegularFile)
              .filter(
                  p ->
                      !p.getFileName().toString().startsWith("_")
                          && !p.getFileName().toString().startsWith("."))
              .toList();
    }
    assertTrue(!data.isEmpty(), "no data under " + root);
    for (Path p : data) {
      byte[] head = Arrays.copyOf(Files.readAllBytes(p), 4);
      assertArrayEquals(
          "PPML".getBytes(StandardCharsets.US_ASCII), head, p + " is not a PPML file");
    }
  }

  @Test
  void sqlOnEncryptedCsvAndParquet() throws Exception {
    List<Row> revenue = SqlOnEncryptedData.run(dir, 2000);
    assertEquals(4, revenue.size());
    double total = revenue.stream().mapToDouble(r -> ((Number) r.get(1)).doubleValue()).sum();
    double expected = 0;
    for (int id = 0; id < 2000; id++) {
      expected += id % 97;
    }
    assertEquals(expected, total, 1e-6);
    assertAllPpml(dir.resolve("sales-csv"));
    assertAllPpml(dir.resolve("sales-parquet"));
  }

  @Test
  void mllibTrainsOnEncryptedFeatures() throws Exception {
    assertTrue(TrainOnEncryptedData.run(dir, 3000) > 0.8, "a learnable label gives a good AUC");
    assertAllPpml(dir.resolve("features"));
  }

  @Test
  void partitionedWritesKeepTheLayoutAndEncryptEveryFile() throws Exception {
    assertEquals(400, PartitionedEncryptedWrite.run(dir, 2000));
    assertTrue(Files.isDirectory(dir.resolve("events/year=2024/month=1")));
    assertAllPpml(dir.resolve("events"));
  }

  @Test
  void pmeColumnKeysRoundTrip() throws Exception {
    List<Row> rows = ColumnKeysWithPme.run(dir, 500);
    assertEquals("user0@example.com", rows.get(0).getString(1));
    assertEquals("name-2", rows.get(2).getString(2));
  }

  @Test
  void rddTextFileReadsPpmlPaths() throws Exception {
    assertEquals(200, RddTextFile.run(dir, 2000));
    assertAllPpml(dir.resolve("logs"));
  }

  /** Every file of a table, its transaction log or metadata included, is a PPML file. */
  private static void assertEveryFilePpml(Path root) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files =
          walk.filter(Files::isRegularFile)
              .filter(
                  p ->
                      !(p.getFileName().toString().startsWith(".")
                          && p.getFileName().toString().endsWith(".crc")))
              .toList();
    }
    assertTrue(!files.isEmpty(), "no files under " + root);
    for (Path p : files) {
      byte[] head = Arrays.copyOf(Files.readAllBytes(p), 4);
      assertArrayEquals(
          "PPML".getBytes(StandardCharsets.US_ASCII), head, p + " is not a PPML file");
    }
  }

  @Test
  void deltaTableOnPpmlStorage() throws Exception {
    EncryptedDeltaTable.Result r = EncryptedDeltaTable.run(dir, 700);
    // 700 rows, less the 100 multiples of 7, plus the 5 merged rows from 700 to 704.
    assertEquals(605, r.rows());
    assertEquals(700, r.rowsAtVersion1());
    assertTrue(Files.exists(dir.resolve("orders/_delta_log/00000000000000000000.json")));
    assertEveryFilePpml(dir.resolve("orders"));
  }

  @Test
  void icebergTableOnPpmlStorage() throws Exception {
    EncryptedIcebergTable.Result r = EncryptedIcebergTable.run(dir, 700);
    assertEquals(600, r.rows());
    assertEquals(700, r.rowsAtFirstSnapshot());
    assertEquals(2, r.snapshots());
    assertEveryFilePpml(dir.resolve("warehouse-enc"));
  }
}
