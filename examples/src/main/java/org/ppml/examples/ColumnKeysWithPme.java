package org.ppml.examples;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Column-level Parquet modular encryption: PII columns under their own key, the rest under the
 * footer key, so access to PII can be granted separately.
 *
 * <pre>examples/run ColumnKeysWithPme [WORK_DIR] [ROWS]</pre>
 */
public final class ColumnKeysWithPme {
  private ColumnKeysWithPme() {}

  /** The first rows read back, PII included. */
  public static List<Row> run(Path work, int rows) throws Exception {
    try (ExampleSession s = ExampleSession.start(work, "footer", "footer", "pii")) {
      SparkSession spark = s.spark();
      spark
          .sql(
              "SELECT id, concat('user', id, '@example.com') AS email, concat('name-', id) AS name, "
                  + "CAST(id % 100 AS INT) AS score FROM range(0, "
                  + rows
                  + ")")
          .write()
          .format("ppml")
          .option("format", "parquet")
          .option("encryption", "pme")
          .option("columnKeys", "pii:email,name")
          .option("footerKey", "footer")
          .mode("overwrite")
          .save(s.path("people.pme").toString());
      List<Row> back =
          spark
              .read()
              .format("ppml")
              .option("format", "parquet")
              .option("encryption", "pme")
              .load(s.path("people.pme").toString())
              .orderBy("id")
              .limit(3)
              .collectAsList();
      back.forEach(System.out::println);
      return back;
    }
  }

  public static void main(String[] args) throws Exception {
    run(ExampleSession.workDir(args, "pme"), ExampleSession.rows(args, 10_000));
  }
}
