package org.ppml.examples;

import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * An Apache Iceberg table in a Hadoop catalog whose warehouse is on {@code ppml+file://}, bucketed
 * rather than partitioned by value (so no region name appears in a directory name): appended to,
 * updated and deleted from with merge-on-read delete files, read at its first snapshot, compacted
 * and expired, with every file (metadata, manifests, data) encrypted. docs/spark.md, "Tables".
 *
 * <pre>examples/run EncryptedIcebergTable [WORK_DIR] [ROWS]</pre>
 */
public final class EncryptedIcebergTable {
  private EncryptedIcebergTable() {}

  /** What the example prints: rows now, rows in the first snapshot, snapshots left. */
  public record Result(long rows, long rowsAtFirstSnapshot, long snapshots) {}

  public static Result run(Path work, int rows) throws Exception {
    Map<String, String> iceberg =
        Map.of(
            "spark.sql.extensions",
            "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions",
            "spark.sql.catalog.enc",
            "org.apache.iceberg.spark.SparkCatalog",
            "spark.sql.catalog.enc.type",
            "hadoop",
            "spark.sql.catalog.enc.warehouse",
            "ppml+file://" + work.resolve("warehouse-enc").toAbsolutePath());
    try (ExampleSession s = ExampleSession.start(work, "orders", iceberg, "orders")) {
      SparkSession spark = s.spark();
      spark.sql("DROP TABLE IF EXISTS enc.shop.orders");
      spark.sql(
          "CREATE TABLE enc.shop.orders (id BIGINT, region STRING, amount DOUBLE) USING iceberg"
              + " PARTITIONED BY (bucket(4, region)) TBLPROPERTIES ('format-version'='2',"
              + " 'write.delete.mode'='merge-on-read', 'write.update.mode'='merge-on-read')");
      spark.sql(
          "INSERT INTO enc.shop.orders SELECT id, element_at(array('emea', 'amer', 'apac'),"
              + " CAST(id % 3 AS INT) + 1), id * 1.5 FROM range(0, "
              + rows
              + ")");
      long first =
          spark
              .sql("SELECT snapshot_id FROM enc.shop.orders.snapshots WHERE parent_id IS NULL")
              .first()
              .getLong(0);
      spark.sql("UPDATE enc.shop.orders SET amount = amount * 2 WHERE id % 10 = 0");
      spark.sql("DELETE FROM enc.shop.orders WHERE id % 7 = 0");
      long atFirst =
          spark
              .sql("SELECT count(*) FROM enc.shop.orders VERSION AS OF " + first)
              .first()
              .getLong(0);
      spark.sql(
          "CALL enc.system.rewrite_data_files(table => 'shop.orders', options =>"
              + " map('min-input-files', '1', 'delete-file-threshold', '1'))");
      spark.sql(
          "CALL enc.system.expire_snapshots(table => 'shop.orders', older_than => TIMESTAMP"
              + " '2999-01-01 00:00:00', retain_last => 2)");
      long now = spark.sql("SELECT count(*) FROM enc.shop.orders").first().getLong(0);
      long snapshots = spark.sql("SELECT * FROM enc.shop.orders.snapshots").count();
      spark
          .sql(
              "SELECT region, count(*), sum(amount) FROM enc.shop.orders GROUP BY region ORDER BY"
                  + " region")
          .show();
      System.out.println(
          "rows now: "
              + now
              + ", rows in the first snapshot: "
              + atFirst
              + ", snapshots left: "
              + snapshots);
      return new Result(now, atFirst, snapshots);
    }
  }

  public static void main(String[] args) throws Exception {
    run(ExampleSession.workDir(args, "iceberg"), ExampleSession.rows(args, 100_000));
  }
}
