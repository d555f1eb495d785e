package org.ppml.examples;

import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * A Delta Lake table on {@code ppml+file://}: created, appended to, updated, merged into, read at
 * an earlier version, compacted and vacuumed, with every file (the transaction log included)
 * encrypted. The plugin is the only PPML setting beyond the key store; docs/spark.md, "Tables".
 *
 * <pre>examples/run EncryptedDeltaTable [WORK_DIR] [ROWS]</pre>
 */
public final class EncryptedDeltaTable {
  private EncryptedDeltaTable() {}

  /** What the example prints: rows now, rows at version 1, and the number of commits. */
  public record Result(long rows, long rowsAtVersion1, long commits) {}

  public static Result run(Path work, int rows) throws Exception {
    Map<String, String> delta =
        Map.of(
            "spark.plugins", "org.ppml.spark.plugin.PpmlPlugin",
            "spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension",
            "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog",
            "spark.databricks.delta.retentionDurationCheck.enabled", "false");
    try (ExampleSession s = ExampleSession.start(work, "orders", delta, "orders")) {
      SparkSession spark = s.spark();
      String t = "delta.`ppml+file://" + s.path("orders").toAbsolutePath() + "`";
      spark.sql(
          "CREATE OR REPLACE TABLE "
              + t
              + " (id BIGINT, region STRING, amount DOUBLE) USING delta PARTITIONED BY (region)");
      spark.sql(
          "INSERT INTO "
              + t
              + " SELECT id, element_at(array('emea', 'amer', 'apac'), CAST(id % 3 AS INT) + 1),"
              + " id * 1.5 FROM range(0, "
              + rows
              + ")");
      spark.sql("UPDATE " + t + " SET amount = amount * 2 WHERE id % 10 = 0");
      spark.sql("DELETE FROM " + t + " WHERE id % 7 = 0");
      spark.sql(
          "MERGE INTO "
              + t
              + " o USING (SELECT id, 'emea' AS region, 0.0 AS amount FROM range("
              + rows
              + " - 5, "
              + rows
              + " + 5)) n ON o.id = n.id WHEN MATCHED THEN UPDATE SET o.amount = n.amount"
              + " WHEN NOT MATCHED THEN INSERT *");
      spark.sql("OPTIMIZE " + t);
      spark.sql("VACUUM " + t + " RETAIN 0 HOURS");
      long now = spark.sql("SELECT count(*) FROM " + t).first().getLong(0);
      long v1 = spark.sql("SELECT count(*) FROM " + t + " VERSION AS OF 1").first().getLong(0);
      long commits = spark.sql("DESCRIBE HISTORY " + t).count();
      spark
          .sql(
              "SELECT region, count(*), sum(amount) FROM " + t + " GROUP BY region ORDER BY region")
          .show();
      System.out.println(
          "rows now: " + now + ", rows at version 1: " + v1 + ", commits: " + commits);
      return new Result(now, v1, commits);
    }
  }

  public static void main(String[] args) throws Exception {
    run(ExampleSession.workDir(args, "delta"), ExampleSession.rows(args, 100_000));
  }
}
