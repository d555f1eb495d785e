package org.ppml.spark.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ppml.spark.keys.KeyReleases;
import org.ppml.spark.testing.PpmlTestSession;

/**
 * Executors in their own JVMs ({@code local-cluster[2,1,1024]}), so that data keys are really
 * released on executors from the wrapped key the driver put into the job.
 *
 * <p>Outside a Spark distribution, local-cluster needs: system property {@code spark.testing}
 * (executors then get this JVM's class path, surefire's manifest jar), and {@code spark.test.home}
 * pointing at a directory with a {@code jars/} folder, which the in-process worker treats as
 * SPARK_HOME when it builds the executor command.
 */
class LocalClusterTest {
  private static PpmlTestSession session;
  private static SparkSession spark;
  private static String previousTesting;
  private static String previousHome;
  // The fake SPARK_HOME. Removed (and checked) in stop(), with whatever the workers left in it.
  private static Path home;

  private static Path metricsDir;

  @BeforeAll
  static void start() throws IOException {
    home = Files.createTempDirectory("ppml-spark-home");
    Files.createDirectories(home.resolve("jars"));
    metricsDir = Files.createDirectories(home.resolve("metrics"));
    previousTesting = System.setProperty("spark.testing", "true");
    previousHome = System.setProperty("spark.test.home", home.toString());
    session =
        PpmlTestSession.start(
            8192,
            "spark.master",
            "local-cluster[2,1,1024]",
            "spark.executor.memory",
            "512m",
            // Short-lived executors on two shared cores: the C1 JIT alone starts them much faster.
            "spark.executor.extraJavaOptions",
            "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
            "spark.executorEnv.SPARK_SCALA_VERSION",
            "2.12",
            // The plugin registers PPML's metrics; sinks are Spark's own, configured as users do:
            // the driver's Prometheus servlet on its UI, a CSV sink in each executor JVM.
            "spark.plugins",
            "org.ppml.spark.plugin.PpmlPlugin",
            "spark.ui.enabled",
            "true",
            "spark.ui.port",
            "0",
            "spark.driver.bindAddress",
            "127.0.0.1",
            "spark.metrics.conf.driver.sink.prometheusServlet.class",
            "org.apache.spark.metrics.sink.PrometheusServlet",
            "spark.metrics.conf.driver.sink.prometheusServlet.path",
            "/metrics/prometheus",
            "spark.metrics.conf.executor.sink.csv.class",
            "org.apache.spark.metrics.sink.CsvSink",
            "spark.metrics.conf.executor.sink.csv.period",
            "1",
            "spark.metrics.conf.executor.sink.csv.unit",
            "seconds",
            "spark.metrics.conf.executor.sink.csv.directory",
            metricsDir.toString());
    spark = session.spark();
  }

  @AfterAll
  static void stop() throws IOException {
    try {
      if (session != null) {
        session.close();
        // Issue 13 §7: a run must leave nothing in /tmp, not even an empty directory.
        assertFalse(Files.exists(session.dir()), "session directory left: " + session.dir());
      }
    } finally {
      restore("spark.testing", previousTesting);
      restore("spark.test.home", previousHome);
      PpmlTestSession.deleteTree(home);
    }
    assertFalse(Files.exists(home), "fake SPARK_HOME left: " + home);
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }

  @Test
  void executorsInOtherJvmsEncryptAndDecrypt() throws IOException {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    long driverPid = ProcessHandle.current().pid();
    Path dir = session.newPath("cluster");
    Dataset<Row> data =
        spark.sql(
            "SELECT id, concat('row-', id) AS name, id % 5 AS bucket FROM range(0, 5000, 1, 4)");
    data.write()
        .format("ppml")
        .option("format", "parquet")
        .partitionBy("bucket")
        .save(dir.toString());
    assertFalse(PpmlTestSession.dataFiles(dir).isEmpty());

    Dataset<Row> back =
        spark.read().format("ppml").option("format", "parquet").load(dir.toString());
    Row r = back.selectExpr("count(*)", "sum(id)", "count(DISTINCT bucket)").first();
    assertEquals(5000L, r.getLong(0));
    assertEquals(5000L * 4999 / 2, r.getLong(1));
    assertEquals(5L, r.getLong(2));

    // The RDD API over a ppml+ path: executors see spark.ppml.* only through their SparkConf.
    String textUrl = "ppml+file://" + session.newPath("cluster-text");
    jsc.parallelize(List.of("a", "b", "c", "d", "e", "f"), 3).saveAsTextFile(textUrl);
    assertFalse(PpmlTestSession.dataFiles(session.newPath("cluster-text")).isEmpty());
    assertEquals(
        List.of("a", "b", "c", "d", "e", "f"),
        jsc.textFile(textUrl).sortBy(x -> x, true, 1).collect());

    // Data keys were released in the executor JVMs, not in the driver.
    List<String> seen =
        jsc.parallelize(List.of(1, 2, 3, 4, 5, 6, 7, 8), 8)
            .map(i -> ProcessHandle.current().pid() + ":" + KeyReleases.cachedKeyCount())
            .collect();
    Set<String> pids = new HashSet<>();
    int released = 0;
    for (String s : seen) {
      String[] parts = s.split(":");
      assertTrue(Long.parseLong(parts[0]) != driverPid, "task ran in the driver JVM");
      released = Math.max(released, Integer.parseInt(parts[1]));
      pids.add(parts[0]);
    }
    assertEquals(2, pids.size(), "two executor JVMs: " + seen);
    assertTrue(released > 0, "no data key was released in any executor: " + seen);
  }

  @Test
  void pluginMetricsReachSparksMetricsSystemOnDriverAndExecutors() throws Exception {
    Path dir = session.newPath("metrics-data");
    spark
        .sql("SELECT id, concat('row-', id) AS name FROM range(0, 3000, 1, 4)")
        .write()
        .format("ppml")
        .option("format", "csv")
        .save(dir.toString());
    assertEquals(
        3000L, spark.read().format("ppml").option("format", "csv").load(dir.toString()).count());

    // Each executor JVM reports through its CSV sink every second; the totals of both must show
    // the encryption, decryption and key releases the job did there.
    long waitStarted = System.nanoTime();
    long deadline = waitStarted + Duration.ofSeconds(60).toNanos();
    Map<String, Long> totals = executorTotals();
    while (System.nanoTime() < deadline
        && (totals.getOrDefault("bytesDecrypted", 0L) == 0
            || totals.getOrDefault("bytesEncrypted", 0L) == 0
            || totals.getOrDefault("segmentsAuthenticated", 0L) == 0
            || totals.getOrDefault("keyReleases", 0L) == 0)) {
      Thread.sleep(500);
      totals = executorTotals();
    }
    System.out.printf(
        "executor metrics after %d ms: %s%n",
        (System.nanoTime() - waitStarted) / 1_000_000, totals);
    assertTrue(totals.getOrDefault("bytesEncrypted", 0L) > 0, totals.toString());
    assertTrue(totals.getOrDefault("bytesDecrypted", 0L) > 0, totals.toString());
    assertTrue(totals.getOrDefault("segmentsAuthenticated", 0L) > 0, totals.toString());
    assertTrue(totals.getOrDefault("keyReleases", 0L) > 0, totals.toString());
    assertEquals(0L, totals.getOrDefault("integrityFailures", -1L), totals.toString());
    assertTrue(totals.containsKey("keyCacheHits"), totals.toString());
    assertTrue(totals.containsKey("keyReleaseLatency"), totals.toString());

    // The driver publishes the same source through Spark's Prometheus servlet.
    String ui = spark.sparkContext().uiWebUrl().get();
    HttpResponse<String> r =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build()
            .send(
                HttpRequest.newBuilder(URI.create(ui + "/metrics/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    for (String name :
        new String[] {
          "bytesDecrypted_Count",
          "bytesEncrypted_Count",
          "segmentsAuthenticated_Count",
          "integrityFailures_Count",
          "keyReleases_Count",
          "keyCacheHits_Count",
          "keyReleaseLatency_Count"
        }) {
      assertTrue(
          r.body().contains("_driver_plugin_org_ppml_spark_plugin_PpmlPlugin_" + name),
          name + " missing from the driver's Prometheus servlet:\n" + r.body());
    }
  }

  /**
   * The last reported value of each PPML metric, summed over the executors' CSV files ({@code
   * <app>.<executor>.plugin.org.ppml.spark.plugin.PpmlPlugin.<name>.csv}, first column the time).
   */
  private static Map<String, Long> executorTotals() throws IOException {
    String marker = ".plugin.org.ppml.spark.plugin.PpmlPlugin.";
    Map<String, Long> totals = new TreeMap<>();
    try (Stream<Path> files = Files.list(metricsDir)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        int at = name.indexOf(marker);
        if (at < 0 || !name.endsWith(".csv")) {
          continue;
        }
        List<String> lines = Files.readAllLines(f);
        if (lines.size() < 2) {
          continue;
        }
        String metric = name.substring(at + marker.length(), name.length() - ".csv".length());
        long value = Long.parseLong(lines.get(lines.size() - 1).split(",")[1].trim());
        totals.merge(metric, value, Long::sum);
      }
    }
    return totals;
  }
}
