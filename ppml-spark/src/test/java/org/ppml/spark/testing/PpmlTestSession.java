package org.ppml.spark.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.ppml.crypto.kms.local.LocalKms;
import org.ppml.crypto.testing.TestKeyStores;
import org.ppml.spark.conf.PpmlConf;
import org.ppml.spark.keys.KeyReleases;

/**
 * A real local SparkSession over a real key-file-sealed local key store with key {@code k1}, in one
 * temporary directory. One per test class: sessions are slow to start.
 */
public final class PpmlTestSession implements AutoCloseable {
  /** The primary key every test writes under. */
  public static final String KEY = "k1";

  private final Path dir;
  private final LocalKms kms;
  private final SparkSession spark;

  private PpmlTestSession(Path dir, LocalKms kms, SparkSession spark) {
    this.dir = dir;
    this.kms = kms;
    this.spark = spark;
  }

  /**
   * Starts a session; {@code extra} are more conf pairs (key, value, key, value…).
   *
   * @param segmentSize the PPML segment size, small in tests so that small files span segments
   */
  public static PpmlTestSession start(int segmentSize, String... extra) throws IOException {
    Path dir = Files.createTempDirectory("ppml-spark-test");
    LocalKms kms = TestKeyStores.withKeys(dir, KEY);
    Files.createDirectories(dir.resolve("events"));
    SparkSession.Builder builder =
        SparkSession.builder()
            .master("local[2]")
            .appName("ppml-test")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.warehouse.dir", dir.resolve("warehouse").toString())
            .config("spark.eventLog.enabled", "true")
            .config("spark.eventLog.dir", dir.resolve("events").toUri().toString())
            .config(PpmlConf.KMS_URL, kms.reference())
            .config(PpmlConf.KMS_KEY_FILE, dir.resolve("test.key").toString())
            .config(PpmlConf.KEY, KEY)
            .config(PpmlConf.SEGMENT_SIZE, Integer.toString(segmentSize));
    for (int i = 0; i + 1 < extra.length; i += 2) {
      builder.config(extra[i], extra[i + 1]);
    }
    return new PpmlTestSession(dir, kms, builder.getOrCreate());
  }

  public SparkSession spark() {
    return spark;
  }

  /** The key store the session reads and writes with. */
  public LocalKms kms() {
    return kms;
  }

  /** The temporary directory of this session. */
  public Path dir() {
    return dir;
  }

  /** A fresh, not yet existing directory path under the session's directory. */
  public Path newPath(String name) {
    return dir.resolve("data").resolve(name);
  }

  /** Data files (not markers, not checksums) under {@code root}, sorted. */
  public static List<Path> dataFiles(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      List<Path> out = new ArrayList<>();
      s.filter(Files::isRegularFile)
          .filter(
              p ->
                  !p.getFileName().toString().startsWith("_")
                      && !p.getFileName().toString().startsWith("."))
          .sorted()
          .forEach(out::add);
      return out;
    }
  }

  /** Closes the session and removes its temporary directory, so that no run leaves /tmp fuller. */
  @Override
  public void close() throws IOException {
    spark.stop();
    // A new session in this JVM must not inherit FileSystems or released keys made for this one.
    FileSystem.closeAll();
    KeyReleases.closeAll();
    kms.close();
    deleteTree(dir);
  }

  /** Deletes {@code root} and everything under it; a missing {@code root} is fine. */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
