package org.ppml.benchmarks.tables;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.ppml.cli.quickstart.TpchData;
import org.ppml.crypto.kms.KmsCredentials;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.local.LocalKms;

/**
 * Scan cost of encryption for table formats: TPC-H Q1 and Q6 shapes over the generated {@code
 * lineitem}, stored as a Delta table and as an Iceberg table (Hadoop catalog), each once on {@code
 * ppml+file://} and once on plain {@code file://}, all four timed in one session. Every round runs
 * the four in an order rotated by the round, so that no variant always follows the same one; the
 * first round is a warm-up and is not counted.
 *
 * <p>Printed per format and query: the median seconds of each side and their ratio (encrypted over
 * plain), then per format the median of the two queries' ratios. Keys come from a local key store
 * in dev mode, so this is the data path alone.
 *
 * <pre>java -cp … org.ppml.benchmarks.tables.TableScanBenchmark MEGABYTES ROUNDS [WORK_DIR]</pre>
 */
public final class TableScanBenchmark {
  private static final String Q1 =
      "SELECT l_returnflag, l_linestatus, sum(l_quantity), sum(l_extendedprice), "
          + "sum(l_extendedprice * (1 - l_discount)), "
          + "sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)), avg(l_quantity), "
          + "avg(l_extendedprice), avg(l_discount), count(*) FROM {t} "
          + "WHERE l_shipdate <= date '1998-09-02' GROUP BY l_returnflag, l_linestatus";
  private static final String Q6 =
      "SELECT sum(l_extendedprice * l_discount) FROM {t} WHERE l_shipdate >= date '1994-01-01' "
          + "AND l_shipdate < date '1995-01-01' AND l_discount BETWEEN 0.05 AND 0.07 "
          + "AND l_quantity < 24";
  private static final Map<String, String> QUERIES = Map.of("Q1", Q1, "Q6", Q6);

  private TableScanBenchmark() {}

  public static void main(String[] args) throws Exception {
    double megabytes = args.length > 0 ? Double.parseDouble(args[0]) : 200;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path work = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("ppml-table-bench");
    Files.createDirectories(work);
    TpchData.Summary data = TpchData.generate(work.resolve("csv"), megabytes);
    System.out.printf(
        Locale.ROOT,
        "lineitem: %d rows, %.0f MB of CSV (orders included)%n",
        data.lineitems(),
        data.bytes() / 1e6);

    Path store = work.resolve("keys");
    Path keyFile = work.resolve("keystore.key");
    try (LocalKms kms = LocalKms.open(store, KmsCredentials.of(null, keyFile))) {
      try {
        kms.createKey("bench");
      } catch (KmsException e) {
        if (e.reason() != KmsException.Reason.KEY_EXISTS) {
          throw e;
        }
      }
    }
    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("ppml-table-scan-bench")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.plugins", "org.ppml.spark.plugin.PpmlPlugin")
            .config(
                "spark.sql.extensions",
                "io.delta.sql.DeltaSparkSessionExtension,"
                    + "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
            .config(
                "spark.sql.catalog.spark_catalog",
                "org.apache.spark.sql.delta.catalog.DeltaCatalog")
            .config("spark.sql.catalog.enc", "org.apache.iceberg.spark.SparkCatalog")
            .config("spark.sql.catalog.enc.type", "hadoop")
            .config("spark.sql.catalog.enc.warehouse", "ppml+file://" + work.resolve("ice-enc"))
            .config("spark.sql.catalog.plain", "org.apache.iceberg.spark.SparkCatalog")
            .config("spark.sql.catalog.plain.type", "hadoop")
            .config("spark.sql.catalog.plain.warehouse", "file://" + work.resolve("ice-plain"))
            .config("spark.ppml.kms.url", "local:" + store)
            .config("spark.ppml.kms.keyFile", keyFile.toString())
            .config("spark.ppml.key", "bench")
            .config("spark.ppml.mode", "dev")
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    try {
      Dataset<Row> lineitem =
          spark
              .read()
              .schema(TpchData.LINEITEM_SCHEMA)
              .option("header", "true")
              .csv(work.resolve("csv/lineitem").toString());
      lineitem.createOrReplaceTempView("lineitem_csv");
      Map<String, String> tables = new LinkedHashMap<>();
      String deltaPlain = "file://" + work.resolve("delta-plain");
      String deltaPpml = "ppml+file://" + work.resolve("delta-enc");
      tables.put("deltaPlain", "delta.`" + deltaPlain + "`");
      tables.put("deltaPpml", "delta.`" + deltaPpml + "`");
      tables.put("icebergPlain", "plain.bench.lineitem");
      tables.put("icebergPpml", "enc.bench.lineitem");
      for (String path : List.of(deltaPlain, deltaPpml)) {
        lineitem.write().format("delta").mode(SaveMode.Overwrite).save(path);
      }
      for (String table : List.of("plain.bench.lineitem", "enc.bench.lineitem")) {
        spark.sql(
            "CREATE OR REPLACE TABLE " + table + " USING iceberg AS SELECT * FROM lineitem_csv");
      }
      run(spark, tables, rounds);
    } finally {
      spark.stop();
    }
  }

  private static void run(SparkSession spark, Map<String, String> tables, int rounds) {
    Map<String, List<Double>> seconds = new LinkedHashMap<>();
    List<String> order = new ArrayList<>(tables.keySet());
    for (int round = 0; round <= rounds; round++) {
      Collections.rotate(order, 1);
      for (String variant : order) {
        for (var q : QUERIES.entrySet()) {
          String sql = q.getValue().replace("{t}", tables.get(variant));
          long start = System.nanoTime();
          List<Row> rows = spark.sql(sql).collectAsList();
          double s = (System.nanoTime() - start) / 1e9;
          if (rows.isEmpty()) {
            throw new IllegalStateException(variant + " " + q.getKey() + " returned nothing");
          }
          if (round > 0) {
            seconds.computeIfAbsent(variant + " " + q.getKey(), k -> new ArrayList<>()).add(s);
          }
        }
      }
    }
    // Same answers everywhere: a benchmark of a wrong result would measure nothing.
    for (var q : QUERIES.entrySet()) {
      String expected = null;
      for (var t : tables.entrySet()) {
        String got =
            spark.sql(q.getValue().replace("{t}", t.getValue())).collectAsList().stream()
                .map(Row::toString)
                .sorted()
                .toList()
                .toString();
        if (expected != null && !expected.equals(got)) {
          throw new IllegalStateException(q.getKey() + " differs on " + t.getKey());
        }
        expected = got;
      }
    }
    for (String format : List.of("delta", "iceberg")) {
      double[] ratios = new double[QUERIES.size()];
      int i = 0;
      for (String q : List.of("Q1", "Q6")) {
        double plain = median(seconds.get(format + "Plain " + q));
        double ppml = median(seconds.get(format + "Ppml " + q));
        ratios[i++] = ppml / plain;
        System.out.printf(
            Locale.ROOT,
            "%-8s %s  plain %.3f s  ppml %.3f s  ratio %.3f%n",
            format,
            q,
            plain,
            ppml,
            ppml / plain);
      }
      System.out.printf(
          Locale.ROOT, "%-8s ratio (median over Q1, Q6): %.3f%n", format, median(ratios));
    }
  }

  private static double median(List<Double> xs) {
    return median(xs.stream().mapToDouble(Double::doubleValue).toArray());
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
}
