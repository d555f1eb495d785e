package org.ppml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data owners and jobs interoperate: what `ppml encrypt` writes, Spark reads as the plaintext; what
 * Spark writes through format("ppml"), `ppml decrypt` turns back into the same lines the same write
 * produces without encryption (part files are named per write, so lines are compared, sorted).
 */
class CliSparkInteropTest {
  @TempDir static Path dir;
  private static SparkSession spark;
  private static String kms;
  private static String keyFile;

  @BeforeAll
  static void start() {
    kms = "local:" + dir.resolve("keys");
    keyFile = dir.resolve("store.key").toString();
    assertEquals(
        0,
        Cli.run("keys", "create", "--kms", kms, "--keystore-key-file", keyFile, "--name", "k")
            .exit());
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("interop")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.ppml.kms.url", kms)
            .config("spark.ppml.kms.keyFile", keyFile)
            .config("spark.ppml.key", "k")
            .getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Path firstPart(Path root, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(root)) {
      return files
          .filter(
              p -> p.getFileName().toString().startsWith("part-") && p.toString().endsWith(suffix))
          .sorted()
          .findFirst()
          .orElseThrow();
    }
  }

  @Test
  void parquetHeadPrintsRowsOfWholeFileAndPmeParquet() throws IOException {
    Dataset<Row> df =
        spark.sql("SELECT id, concat('n', id) AS name FROM range(0, 100)").coalesce(1);
    df.write()
        .format("ppml")
        .option("format", "parquet")
        .mode(SaveMode.Overwrite)
        .save(dir.resolve("pq").toString());
    df.write()
        .format("ppml")
        .option("format", "parquet")
        .option("encryption", "pme")
        .option("footerKey", "k")
        .mode(SaveMode.Overwrite)
        .save(dir.resolve("pme").toString());
    for (String table : new String[] {"pq", "pme"}) {
      Cli.Result r =
          Cli.run(
              "parquet",
              "head",
              firstPart(dir.resolve(table), ".parquet").toString(),
              "-n",
              "3",
              "--kms",
              kms,
              "--keystore-key-file",
              keyFile,
              "--json");
      assertEquals(0, r.exit(), table + ": " + r.err());
      List<String> rows = r.out().strip().lines().toList();
      assertEquals(3, rows.size(), r.out());
      assertEquals("{\"id\":\"0\",\"name\":\"n0\"}", rows.get(0), table);
    }
  }

  @Test
  void parquetHeadRefusesAFileWhoseKeysTheKmsDoesNotHold() {
    Path vector =
        Path.of(
            System.getProperty("ppml.testdata", "../../shared/testdata"),
            "parquet-pme/uniform_encryption.parquet.encrypted");
    Cli.Result r =
        Cli.run("parquet", "head", vector.toString(), "--kms", kms, "--keystore-key-file", keyFile);
    org.junit.jupiter.api.Assertions.assertNotEquals(0, r.exit());
    org.junit.jupiter.api.Assertions.assertTrue(r.err().contains("kf"), r.err());
    assertEquals("", r.out(), "nothing decrypted, nothing printed");
  }

  @Test
  void parquetHeadReadsExplicitKeyVectorsWithTheRightKeysAndRefusesAWrongOne() throws IOException {
    Path vector =
        Path.of(
            System.getProperty("ppml.testdata", "../../shared/testdata"),
            "parquet-pme/encrypt_columns_and_footer.parquet.encrypted");
    // A store with the vectors' keys, except kc2 (float_field) is wrong.
    String wrong = "local:" + dir.resolve("wrong-keys");
    String right = "local:" + dir.resolve("right-keys");
    for (String[] k : new String[][] {{"kf", "0123456789012345"}, {"kc1", "1234567890123450"}}) {
      for (String store : new String[] {wrong, right}) {
        assertEquals(
            0,
            Cli.run(
                    "keys",
                    "import",
                    "--kms",
                    store,
                    "--keystore-key-file",
                    keyFile,
                    "--name",
                    k[0],
                    "--key-hex",
                    java.util.HexFormat.of()
                        .formatHex(k[1].getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                .exit());
      }
    }
    assertEquals(
        0,
        Cli.run(
                "keys",
                "import",
                "--kms",
                wrong,
                "--keystore-key-file",
                keyFile,
                "--name",
                "kc2",
                "--key-hex",
                "39".repeat(16))
            .exit());
    assertEquals(
        0,
        Cli.run(
                "keys",
                "import",
                "--kms",
                right,
                "--keystore-key-file",
                keyFile,
                "--name",
                "kc2",
                "--key-hex",
                java.util.HexFormat.of()
                    .formatHex(
                        "1234567890123451".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
            .exit());

    Cli.Result bad =
        Cli.run(
            "parquet",
            "head",
            vector.toString(),
            "--kms",
            wrong,
            "--keystore-key-file",
            keyFile,
            "--json");
    // A wrong key is a verdict on the file (exit 1) naming the column and its key id.
    bad.assertError(1, "column 'float_field'", "'kc2'", "does not authenticate");
    assertEquals("", bad.out(), "a wrong key prints no rows at all");

    Cli.Result good =
        Cli.run(
            "parquet",
            "head",
            vector.toString(),
            "-n",
            "3",
            "--kms",
            right,
            "--keystore-key-file",
            keyFile,
            "--json");
    assertEquals(0, good.exit(), good.err());
    List<String> rows = good.out().strip().lines().toList();
    assertEquals(3, rows.size(), good.out());
    // parquet-cpp's test values for row 1: odd rows are false, float 1.1, double 1.1111111.
    com.fasterxml.jackson.databind.JsonNode row1 =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(rows.get(1));
    assertEquals(false, row1.get("boolean_field").asBoolean());
    assertEquals(1.1f, (float) row1.get("float_field").asDouble(), 1e-6);
    assertEquals(1.1111111, row1.get("double_field").asDouble(), 1e-12);
  }

  private static List<String> lines(Path root) throws IOException {
    List<String> all = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p :
          walk.filter(Files::isRegularFile)
              .filter(p -> p.getFileName().toString().startsWith("part-"))
              .toList()) {
        all.addAll(Files.readAllLines(p));
      }
    }
    all.sort(null);
    return all;
  }

  @Test
  void sparkReadsWhatTheCliEncrypted() throws IOException {
    Path plain = dir.resolve("plain");
    Files.createDirectories(plain);
    StringBuilder csv = new StringBuilder("id,name\n");
    for (int i = 0; i < 5000; i++) {
      csv.append(i).append(",name-").append(i).append('\n');
    }
    Files.writeString(plain.resolve("part-0.csv"), csv);
    assertEquals(
        0,
        Cli.run(
                "encrypt",
                "--kms",
                kms,
                "--keystore-key-file",
                keyFile,
                "--key",
                "k",
                plain.toString(),
                dir.resolve("enc").toString())
            .exit());

    Dataset<Row> expected = spark.read().option("header", "true").csv(plain.toString());
    Dataset<Row> actual =
        spark
            .read()
            .format("ppml")
            .option("format", "csv")
            .option("header", "true")
            .load(dir.resolve("enc").toString());
    assertEquals(expected.orderBy("id").collectAsList(), actual.orderBy("id").collectAsList());
  }

  @Test
  void theCliDecryptsWhatSparkWroteToThePlaintextBytes() throws IOException {
    Dataset<Row> df =
        spark
            .sql("SELECT id, concat('v', id) AS v FROM range(0, 3000)")
            .repartition(3, org.apache.spark.sql.functions.col("id"));
    df.write()
        .option("header", "true")
        .mode(SaveMode.Overwrite)
        .csv(dir.resolve("spark-plain").toString());
    df.write()
        .format("ppml")
        .option("format", "csv")
        .option("header", "true")
        .mode(SaveMode.Overwrite)
        .save(dir.resolve("spark-enc").toString());
    Cli.Result r =
        Cli.run(
            "decrypt",
            "--kms",
            kms,
            "--keystore-key-file",
            keyFile,
            dir.resolve("spark-enc").toString(),
            dir.resolve("spark-dec").toString());
    assertEquals(0, r.exit(), r.err());
    assertEquals(lines(dir.resolve("spark-plain")), lines(dir.resolve("spark-dec")));
  }
}
