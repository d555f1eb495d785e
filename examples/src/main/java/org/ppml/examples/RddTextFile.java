package org.ppml.examples;

import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The RDD API on encrypted text: {@code sc.textFile("ppml+file://…")}, with no data source at all,
 * because the {@code ppml+} FileSystem decrypts underneath any Hadoop reader.
 *
 * <pre>examples/run RddTextFile [WORK_DIR] [ROWS]</pre>
 */
public final class RddTextFile {
  private RddTextFile() {}

  /** Lines containing "error". */
  public static long run(Path work, int rows) throws Exception {
    try (ExampleSession s = ExampleSession.start(work, "logs", "logs")) {
      SparkSession spark = s.spark();
      spark
          .sql(
              "SELECT concat(CASE WHEN id % 10 = 0 THEN 'error' ELSE 'info' END, ' event ', id) AS value FROM range(0, "
                  + rows
                  + ")")
          .write()
          .format("ppml")
          .option("format", "text")
          .mode("overwrite")
          .save(s.path("logs").toString());
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      long errors =
          sc.textFile("ppml+file://" + s.path("logs").toAbsolutePath())
              .filter(l -> l.startsWith("error"))
              .count();
      System.out.println("error lines: " + errors);
      return errors;
    }
  }

  public static void main(String[] args) throws Exception {
    run(ExampleSession.workDir(args, "rdd"), ExampleSession.rows(args, 100_000));
  }
}
