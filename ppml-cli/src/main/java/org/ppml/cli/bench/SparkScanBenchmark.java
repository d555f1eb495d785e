package org.ppml.cli.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.ppml.cli.quickstart.TpchData;
import org.ppml.crypto.envelope.PpmlEncryptor;
import org.ppml.crypto.kms.KmsCredentials;
import org.ppml.crypto.kms.local.LocalKms;
import org.ppml.crypto.stream.SegmentLayout;

/**
 * Spark scan cost of encryption: TPC-H Q1 and Q6 shapes over a generated {@code lineitem} stored
 * six ways, timed in the same session and interleaved run by run: plain CSV, PPML CSV, plain
 * Parquet, PPML Parquet (whole file), Parquet modular encryption, and on lineitem as a single large
 * file, PPML CSV against the BigDL-PPML-style baseline (AES-CBC stream + HMAC per file, {@link
 * CbcHmacCodec}).
 *
 * <p>Keys come from a local key store in dev mode, so the numbers are the data path alone; key
 * release is measured separately (docs/benchmarks.md, key broker).
 */
public final class SparkScanBenchmark implements AutoCloseable {
  /**
   * The storage variants. Each round runs them in this order rotated by the round number, so no
   * variant always follows the same neighbour (a query right after a CSV scan inherits its
   * garbage). The last two hold lineitem as one large file: the case where the BigDL-style stream,
   * which cannot be split, leaves a core idle and PPML's segments do not.
   */
  public static final List<String> VARIANTS =
      List.of(
          "csv",
          "ppmlCsv",
          "parquet",
          "ppmlParquet",
          "pme",
          "ppmlCsvOneFile",
          "bigdlStyleCsvOneFile");

  private static final String Q1 =
      "SELECT l_returnflag, l_linestatus, sum(l_quantity), sum(l_extendedprice), "
          + "sum(l_extendedprice * (1 - l_discount)), sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)), "
          + "avg(l_quantity), avg(l_extendedprice), avg(l_discount), count(*) FROM {t} "
          + "WHERE l_shipdate <= date '1998-09-02' GROUP BY l_returnflag, l_linestatus";
  private static final String Q6 =
      "SELECT sum(l_extendedprice * l_discount) FROM {t} WHERE l_shipdate >= date '1994-01-01' "
          + "AND l_shipdate < date '1995-01-01' AND l_discount BETWEEN 0.05 AND 0.07 AND l_quantity < 24";

  private final Path work;
  private final SparkSession spark;

  /** Times in nanoseconds per query, per variant, one entry per run. */
  public record Timings(Map<String, Map<String, List<Long>>> byQuery, long lineitemBytes) {}

  public SparkScanBenchmark(Path work) throws IOException {
    this.work = work;
    Path keys = work.resolve("keys");
    Path keyFile = work.resolve("keystore.key");
    try (LocalKms kms = LocalKms.open(keys, KmsCredentials.of(null, keyFile))) {
      kms.createKey("bench");
    }
    byte[] cbcKey = new byte[32];
    byte[] macKey = new byte[32];
    new java.security.SecureRandom().nextBytes(cbcKey);
    new java.security.SecureRandom().nextBytes(macKey);
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("ppml-bench-spark")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.ppml.kms.url", "local:" + keys)
            .config("spark.ppml.kms.keyFile", keyFile.toString())
            .config("spark.ppml.key", "bench")
            .config("spark.ppml.mode", "dev")
            // The baseline's keys sit in the Hadoop conf: acceptable only because it is a baseline.
            .config("spark.hadoop.io.compression.codecs", CbcHmacCodec.class.getName())
            .config("spark.hadoop." + CbcHmacCodec.KEY, Base64.getEncoder().encodeToString(cbcKey))
            .config(
                "spark.hadoop." + CbcHmacCodec.MAC_KEY, Base64.getEncoder().encodeToString(macKey))
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
  }

  /**
   * Generates about {@code megabytes} of data and writes every variant; returns lineitem's CSV
   * size.
   */
  public long prepare(double megabytes, Consumer<String> progress) throws IOException {
    Path plain = work.resolve("plain");
    TpchData.generate(plain, megabytes);
    Path csv = plain.resolve("lineitem");
    long bytes = 0;
    try (Stream<Path> files = Files.list(csv)) {
      for (Path f : files.toList()) {
        bytes += Files.size(f);
      }
    }
    progress.accept(
        "encrypting lineitem with PPML, and as one file with PPML and with the BigDL-style codec");
    encryptCopies(csv, work.resolve("ppml-csv"));
    encryptOneFile(csv, work.resolve("ppml-csv-one"), work.resolve("bigdl-csv-one"));
    Dataset<Row> lineitem = read("csv");
    progress.accept("writing Parquet: plain, PPML (whole file), PME (footer and columns)");
    lineitem.write().mode(SaveMode.Overwrite).parquet(work.resolve("parquet").toString());
    lineitem
        .write()
        .format("ppml")
        .option("format", "parquet")
        .mode(SaveMode.Overwrite)
        .save(work.resolve("ppml-parquet").toString());
    lineitem
        .write()
        .format("ppml")
        .option("format", "parquet")
        .option("encryption", "pme")
        .mode(SaveMode.Overwrite)
        .save(work.resolve("pme-parquet").toString());
    return bytes;
  }

  private PpmlEncryptor encryptor(LocalKms kms) throws IOException {
    return PpmlEncryptor.create(kms, "bench", SegmentLayout.DEFAULT_SEGMENT_SIZE);
  }

  private LocalKms kms() {
    return LocalKms.open(
        work.resolve("keys"), KmsCredentials.of(null, work.resolve("keystore.key")));
  }

  private void encryptCopies(Path csv, Path ppml) throws IOException {
    Files.createDirectories(ppml);
    try (LocalKms kms = kms();
        PpmlEncryptor encryptor = encryptor(kms);
        Stream<Path> files = Files.list(csv)) {
      for (Path f : files.toList()) {
        try (InputStream in = Files.newInputStream(f);
            OutputStream out =
                encryptor.encrypt(
                    Files.newOutputStream(ppml.resolve(f.getFileName().toString())))) {
          in.transferTo(out);
        }
      }
    }
  }

  /** All of lineitem as one CSV file (one header), written once with PPML and once BigDL-style. */
  private void encryptOneFile(Path csv, Path ppml, Path bigdl) throws IOException {
    Files.createDirectories(ppml);
    Files.createDirectories(bigdl);
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    CbcHmacCodec codec = new CbcHmacCodec();
    codec.setConf(conf);
    List<Path> parts;
    try (Stream<Path> files = Files.list(csv)) {
      parts = files.sorted().toList();
    }
    try (LocalKms kms = kms();
        PpmlEncryptor encryptor = encryptor(kms);
        OutputStream toPpml =
            encryptor.encrypt(Files.newOutputStream(ppml.resolve("lineitem.csv")));
        OutputStream toBigdl =
            codec.createOutputStream(
                Files.newOutputStream(
                    bigdl.resolve("lineitem.csv" + codec.getDefaultExtension())))) {
      boolean first = true;
      for (Path part : parts) {
        try (InputStream in =
            new java.io.BufferedInputStream(Files.newInputStream(part), 1 << 16)) {
          if (!first) {
            // Every part starts with the header line; the single file keeps only the first.
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
              // skip
            }
          }
          byte[] buf = new byte[1 << 16];
          int n;
          while ((n = in.read(buf)) > 0) {
            toPpml.write(buf, 0, n);
            toBigdl.write(buf, 0, n);
          }
        }
        first = false;
      }
    }
  }

  private Dataset<Row> read(String variant) {
    String schema = TpchData.LINEITEM_SCHEMA;
    switch (variant) {
      case "csv":
        return spark
            .read()
            .option("header", "true")
            .schema(schema)
            .csv(work.resolve("plain/lineitem").toString());
      case "ppmlCsv":
        return spark
            .read()
            .format("ppml")
            .option("format", "csv")
            .option("header", "true")
            .schema(schema)
            .load(work.resolve("ppml-csv").toString());
      case "ppmlCsvOneFile":
        return spark
            .read()
            .format("ppml")
            .option("format", "csv")
            .option("header", "true")
            .schema(schema)
            .load(work.resolve("ppml-csv-one").toString());
      case "bigdlStyleCsvOneFile":
        return spark
            .read()
            .option("header", "true")
            .schema(schema)
            .csv(work.resolve("bigdl-csv-one").toString());
      case "parquet":
        return spark.read().parquet(work.resolve("parquet").toString());
      case "ppmlParquet":
        return spark
            .read()
            .format("ppml")
            .option("format", "parquet")
            .load(work.resolve("ppml-parquet").toString());
      case "pme":
        return spark
            .read()
            .format("ppml")
            .option("format", "parquet")
            .option("encryption", "pme")
            .load(work.resolve("pme-parquet").toString());
      default:
        throw new IllegalArgumentException(variant);
    }
  }

  /** Runs Q1 and Q6 on every variant, {@code runs} rounds, interleaved. */
  public Timings run(int runs, Consumer<String> progress) {
    Map<String, Map<String, List<Long>>> byQuery = new LinkedHashMap<>();
    Map<String, String> queries = Map.of("Q1", Q1, "Q6", Q6);
    for (String q : List.of("Q1", "Q6")) {
      Map<String, List<Long>> m = new LinkedHashMap<>();
      VARIANTS.forEach(v -> m.put(v, new ArrayList<>()));
      byQuery.put(q, m);
    }
    List<Row> reference = null;
    for (String v : VARIANTS) {
      read(v).createOrReplaceTempView("t_" + v);
      // Warm-up and a correctness check: every variant must give the plain answer.
      List<Row> rows = spark.sql(Q6.replace("{t}", "t_" + v)).collectAsList();
      if (reference == null) {
        reference = rows;
      } else if (!reference.equals(rows)) {
        throw new IllegalStateException("variant " + v + " gives another Q6 answer than plain CSV");
      }
    }
    for (int run = 1; run <= runs; run++) {
      List<String> order = new ArrayList<>(VARIANTS);
      java.util.Collections.rotate(order, -(run - 1));
      for (String q : List.of("Q1", "Q6")) {
        for (String v : order) {
          long start = System.nanoTime();
          spark.sql(queries.get(q).replace("{t}", "t_" + v)).collectAsList();
          byQuery.get(q).get(v).add(System.nanoTime() - start);
        }
      }
      progress.accept("round " + run + " of " + runs + " done");
    }
    return new Timings(byQuery, 0);
  }

  @Override
  public void close() {
    spark.stop();
  }
}
