package org.ppml.cli.quickstart;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark part of the quickstart: TPC-H queries over the encrypted tables with {@code
 * format("ppml")}, each checked against the same query on the plaintext; an encrypted Parquet write
 * read back; and an MLlib model trained on a feature table read from encrypted data.
 *
 * <p>This is the only quickstart class that touches Spark, so the other commands never load it.
 */
final class QuickstartSparkJob implements AutoCloseable {
  /** One query's outcome. */
  record QueryResult(String name, long rows, boolean matchesPlaintext) {}

  /** What the SQL part measured. */
  record Result(
      List<QueryResult> queries, double scanRatio, long rowsProcessed, boolean resultReadBack) {}

  private final SparkSession spark;

  QuickstartSparkJob(Map<String, String> ppmlConf) {
    SparkSession.Builder builder =
        SparkSession.builder()
            .master("local[2]")
            .appName("ppml-quickstart")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.sql.adaptive.enabled", "false");
    ppmlConf.forEach(builder::config);
    spark = builder.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
  }

  Result run(Path plain, Path encrypted, Path results, Consumer<String> progress) {
    registerTables(plain, encrypted);
    List<QueryResult> queries = new ArrayList<>();
    for (Map.Entry<String, String> q : TpchQueries.all().entrySet()) {
      List<Row> enc = spark.sql(TpchQueries.on(q.getValue(), "lineitem", "orders")).collectAsList();
      List<Row> ref =
          spark.sql(TpchQueries.on(q.getValue(), "plain_lineitem", "plain_orders")).collectAsList();
      boolean same = enc.equals(ref);
      queries.add(new QueryResult(q.getKey(), enc.size(), same));
      progress.accept(
          String.format(
              "%s over encrypted tables: %d rows, %s the plaintext run",
              q.getKey(), enc.size(), same ? "identical to" : "DIFFERENT FROM"));
    }

    // The scan ratio: Q1 (a full scan and aggregation of lineitem), encrypted over plaintext,
    // alternating so that machine noise hits both; best of three each.
    String q1 = TpchQueries.all().get("Q1");
    long plainBest = Long.MAX_VALUE;
    long encBest = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      plainBest = Math.min(plainBest, time(TpchQueries.on(q1, "plain_lineitem", "plain_orders")));
      encBest = Math.min(encBest, time(TpchQueries.on(q1, "lineitem", "orders")));
    }
    double scanRatio = encBest / (double) plainBest;

    Dataset<Row> q3 = spark.sql(TpchQueries.on(TpchQueries.all().get("Q3"), "lineitem", "orders"));
    String out = results.resolve("q3.parquet").toString();
    q3.write().format("ppml").option("format", "parquet").mode(SaveMode.Overwrite).save(out);
    boolean readBack =
        spark
            .read()
            .format("ppml")
            .option("format", "parquet")
            .load(out)
            .orderBy(
                org.apache.spark.sql.functions.col("revenue").desc(),
                org.apache.spark.sql.functions.col("o_orderdate"),
                org.apache.spark.sql.functions.col("l_orderkey"))
            .collectAsList()
            .equals(q3.collectAsList());
    progress.accept(
        "wrote the Q3 result as encrypted Parquet to "
            + out
            + (readBack ? " and read it back" : " (READ-BACK MISMATCH)"));

    long rows = spark.table("lineitem").count() + spark.table("orders").count();
    return new Result(queries, scanRatio, rows, readBack);
  }

  /**
   * Reads the encrypted lineitem table once more with every released key dropped from this JVM, so
   * that the read needs a fresh release. Returns null if it succeeded, else the failure chain.
   */
  String readAfterForgettingKeys(Path encrypted) {
    org.ppml.spark.keys.KeyReleases.closeAll();
    // The refusal is expected here: keep Spark from logging the failed task's stack trace.
    spark.sparkContext().setLogLevel("OFF");
    try {
      spark
          .read()
          .format("ppml")
          .option("format", "csv")
          .option("header", "true")
          .schema(TpchData.LINEITEM_SCHEMA)
          .load(encrypted.resolve("lineitem").toString())
          .count();
      return null;
    } catch (Exception e) { // SparkException is checked but undeclared in Scala signatures
      return oneLine(e);
    } finally {
      spark.sparkContext().setLogLevel("WARN");
    }
  }

  /**
   * The refusal as one line: the broker's answer if it is in the chain, else the first line of each
   * message (Spark's own messages carry the driver's stack trace after the first line).
   */
  static String oneLine(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof org.ppml.crypto.kms.KmsException && c.getMessage() != null) {
        return c.getMessage().lines().findFirst().orElse("").strip();
      }
    }
    StringBuilder chain = new StringBuilder();
    for (Throwable c = e; c != null && chain.length() < 400; c = c.getCause()) {
      String first = c.getMessage() == null ? "" : c.getMessage().lines().findFirst().orElse("");
      if (!first.isBlank()) {
        chain.append(chain.length() == 0 ? "" : " | ").append(first.strip());
      }
    }
    return chain.length() == 0 ? e.getClass().getSimpleName() : chain.toString();
  }

  private void registerTables(Path plain, Path encrypted) {
    for (String table : new String[] {"lineitem", "orders"}) {
      String schema = table.equals("lineitem") ? TpchData.LINEITEM_SCHEMA : TpchData.ORDERS_SCHEMA;
      spark
          .read()
          .format("ppml")
          .option("format", "csv")
          .option("header", "true")
          .schema(schema)
          .load(encrypted.resolve(table).toString())
          .createOrReplaceTempView(table);
      spark
          .read()
          .option("header", "true")
          .schema(schema)
          .csv(plain.resolve(table).toString())
          .createOrReplaceTempView("plain_" + table);
    }
  }

  private long time(String sql) {
    long start = System.nanoTime();
    spark.sql(sql).collectAsList();
    return System.nanoTime() - start;
  }

  /** Logistic regression predicting returns from the encrypted lineitem table; returns test AUC. */
  double train(Consumer<String> progress) {
    Dataset<Row> features =
        spark.sql(
            "SELECT CAST(l_returnflag = 'R' AS DOUBLE) AS label, CAST(l_discount AS DOUBLE) AS discount, "
                + "CAST(datediff(l_receiptdate, l_commitdate) AS DOUBLE) AS lateness, "
                + "CAST(l_quantity AS DOUBLE) AS quantity, CAST(l_tax AS DOUBLE) AS tax "
                + "FROM lineitem WHERE l_returnflag <> 'N'");
    Dataset<Row>[] split = features.randomSplit(new double[] {0.8, 0.2}, 42);
    VectorAssembler assembler =
        new VectorAssembler()
            .setInputCols(new String[] {"discount", "lateness", "quantity", "tax"})
            .setOutputCol("features");
    LogisticRegression lr = new LogisticRegression().setMaxIter(20).setRegParam(0.01);
    PipelineModel model =
        new Pipeline().setStages(new PipelineStage[] {assembler, lr}).fit(split[0]);
    double auc =
        new BinaryClassificationEvaluator()
            .setMetricName("areaUnderROC")
            .evaluate(model.transform(split[1]));
    progress.accept(
        String.format("trained logistic regression on encrypted lineitem: test AUC %.3f", auc));
    return auc;
  }

  @Override
  public void close() {
    spark.stop();
  }
}
