package org.ppml.examples;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * SQL on encrypted CSV and Parquet: a table {@code USING ppml} over encrypted CSV, a CTAS into
 * encrypted Parquet, and a query over that.
 *
 * <pre>examples/run SqlOnEncryptedData [WORK_DIR] [ROWS]</pre>
 */
public final class SqlOnEncryptedData {
  private SqlOnEncryptedData() {}

  /** Revenue per region from the encrypted Parquet table, largest first. */
  public static List<Row> run(Path work, int rows) throws Exception {
    try (ExampleSession s = ExampleSession.start(work, "sales", "sales")) {
      SparkSession spark = s.spark();
      // Stand-in for data an owner encrypted with `ppml encrypt`: written encrypted by Spark
      // itself.
      spark
          .sql(
              "SELECT id, element_at(array('north','south','east','west'), CAST(id % 4 AS INT) + 1) AS region, "
                  + "CAST(id % 97 AS DECIMAL(10,2)) AS amount FROM range(0, "
                  + rows
                  + ")")
          .write()
          .format("ppml")
          .option("format", "csv")
          .option("header", "true")
          .mode("overwrite")
          .save(s.path("sales-csv").toString());

      spark.sql(
          "CREATE TABLE sales USING ppml OPTIONS (format 'csv', path '"
              + s.path("sales-csv")
              + "', header 'true', inferSchema 'true')");
      spark.sql(
          "CREATE TABLE sales_pq USING ppml OPTIONS (format 'parquet', path '"
              + s.path("sales-parquet")
              + "') AS SELECT region, amount FROM sales");
      List<Row> result =
          spark
              .sql(
                  "SELECT region, sum(amount) AS revenue FROM sales_pq GROUP BY region ORDER BY revenue DESC")
              .collectAsList();
      result.forEach(System.out::println);
      return result;
    }
  }

  public static void main(String[] args) throws Exception {
    run(ExampleSession.workDir(args, "sql"), ExampleSession.rows(args, 100_000));
  }
}
