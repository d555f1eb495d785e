package org.ppml.examples;

import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Writing encrypted results with {@code partitionBy}: the directory layout (and so the partition
 * values) stays visible, every data file is a PPML file, and partition pruning works on reads.
 *
 * <pre>examples/run PartitionedEncryptedWrite [WORK_DIR] [ROWS]</pre>
 */
public final class PartitionedEncryptedWrite {
  private PartitionedEncryptedWrite() {}

  /** Rows read back from the {@code year=2024} partition alone. */
  public static long run(Path work, int rows) throws Exception {
    try (ExampleSession s = ExampleSession.start(work, "events", "events")) {
      SparkSession spark = s.spark();
      spark
          .sql(
              "SELECT id, 2020 + CAST(id % 5 AS INT) AS year, CAST(id % 12 AS INT) + 1 AS month FROM range(0, "
                  + rows
                  + ")")
          .write()
          .format("ppml")
          .option("format", "json")
          .partitionBy("year", "month")
          .mode("overwrite")
          .save(s.path("events").toString());
      long n =
          spark
              .read()
              .format("ppml")
              .option("format", "json")
              .load(s.path("events").toString())
              .where("year = 2024")
              .count();
      System.out.println("rows in year=2024: " + n);
      return n;
    }
  }

  public static void main(String[] args) throws Exception {
    run(ExampleSession.workDir(args, "partitioned"), ExampleSession.rows(args, 100_000));
  }
}
