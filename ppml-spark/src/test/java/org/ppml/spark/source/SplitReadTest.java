package org.ppml.spark.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ppml.crypto.stream.SegmentLayout;
import org.ppml.spark.testing.PpmlTestSession;

/** One large encrypted CSV is read by many tasks, each decrypting only its own split. */
class SplitReadTest {
  private static final long ROWS = 1_000_000;
  private static final long MAX_PARTITION_BYTES = 8L << 20;
  private static PpmlTestSession session;
  private static SparkSession spark;

  @BeforeAll
  static void start() throws IOException {
    session =
        PpmlTestSession.start(
            SegmentLayout.DEFAULT_SEGMENT_SIZE,
            "spark.sql.files.maxPartitionBytes",
            Long.toString(MAX_PARTITION_BYTES));
    spark = session.spark();
  }

  @AfterAll
  static void stop() throws IOException {
    session.close();
  }

  @Test
  void aLargeFileIsSplitAcrossTasksWithNoRowLostOrRepeated() throws Exception {
    String url = "ppml+file://" + session.newPath("big") + "/big.csv";
    Path path = new Path(url);
    FileSystem fs = path.getFileSystem(spark.sessionState().newHadoopConf());
    byte[] filler = "x".repeat(60).getBytes(StandardCharsets.US_ASCII);
    try (OutputStream out = fs.create(path)) {
      StringBuilder line = new StringBuilder();
      for (long i = 0; i < ROWS; i++) {
        line.setLength(0);
        line.append(i).append(',');
        out.write(line.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(filler);
        out.write('\n');
      }
    }
    long length = fs.getFileStatus(path).getLen();
    assertTrue(length > 64_000_000L, "plaintext length " + length);

    Dataset<Row> df = spark.read().schema("id LONG, pad STRING").csv(url);
    int partitions = df.rdd().getNumPartitions();
    assertEquals((length + MAX_PARTITION_BYTES - 1) / MAX_PARTITION_BYTES, partitions);

    AtomicInteger tasks = new AtomicInteger();
    SparkListener counter =
        new SparkListener() {
          @Override
          public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
            tasks.incrementAndGet();
          }
        };
    spark.sparkContext().addSparkListener(counter);
    try {
      Row r = df.selectExpr("count(*)", "sum(id)", "count(DISTINCT id)").first();
      assertEquals(ROWS, r.getLong(0));
      assertEquals(ROWS * (ROWS - 1) / 2, r.getLong(1));
      assertEquals(ROWS, r.getLong(2));
    } finally {
      spark.sparkContext().listenerBus().waitUntilEmpty();
      spark.sparkContext().removeSparkListener(counter);
    }
    assertTrue(tasks.get() >= partitions, tasks.get() + " tasks for " + partitions + " splits");
  }
}
