package org.ppml.spark.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ppml.crypto.envelope.EnvelopeHeader;
import org.ppml.spark.conf.PpmlConf;
import org.ppml.spark.testing.DevBroker;

/**
 * Spark reads and writes through the real key broker over TLS on loopback: every data key is
 * released after simulated attestation, audited, and refused when the key's policy stops matching.
 */
class BrokerReleaseTest {
  private static Path dir;
  private static SparkSession spark;
  private static DevBroker dev;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("ppml-broker-spark");
    dev = DevBroker.start(dir);
    dev.admin().createKey("sales", dev.devEnclavePolicy());
    SparkSession.Builder builder =
        SparkSession.builder()
            .master("local[2]")
            .appName("ppml-broker-test")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "2");
    dev.sparkConf("sales").forEach(builder::config);
    spark = builder.getOrCreate();
  }

  @AfterAll
  static void stop() throws Exception {
    if (spark != null) {
      spark.stop();
    }
    KeyReleases.closeAll();
    if (dev != null) {
      dev.close();
    }
  }

  @Test
  void writesAndReadsReleaseKeysThroughTheBrokerAndADeniedPolicyFailsTheRead() throws Exception {
    Path out = dir.resolve("people");
    Dataset<Row> df = spark.sql("SELECT id, concat('name-', id) AS name FROM range(0, 500)");
    df.write()
        .format("ppml")
        .option("format", "csv")
        .option("header", "true")
        .mode(SaveMode.Overwrite)
        .save(out.toString());

    List<Path> parts;
    try (var files = Files.list(out)) {
      parts = files.filter(p -> p.getFileName().toString().startsWith("part-")).toList();
    }
    assertTrue(!parts.isEmpty());
    EnvelopeHeader header =
        EnvelopeHeader.decode(Arrays.copyOf(Files.readAllBytes(parts.get(0)), 1024), "part");
    assertEquals("ppml+https://" + URI.create(dev.server().url()).getAuthority(), header.kms());
    assertEquals("sales", header.keyName());

    KeyReleases.closeAll();
    Dataset<Row> back =
        spark
            .read()
            .format("ppml")
            .option("format", "csv")
            .option("header", "true")
            .schema("id BIGINT, name STRING")
            .load(out.toString());
    assertEquals(500, back.count());
    assertEquals(df.orderBy("id").collectAsList(), back.orderBy("id").collectAsList());

    List<JsonNode> audit = dev.admin().audit(Instant.EPOCH);
    long unwraps =
        audit.stream()
            .filter(
                r ->
                    r.path("event").asText().equals("unwrap")
                        && r.path("decision").asText().equals("allow"))
            .count();
    assertTrue(unwraps >= 1, "releases to the attested reader are audited");
    assertTrue(
        audit.stream()
            .allMatch(
                r -> !r.path("event").asText().equals("attest") || r.path("simulated").asBoolean()),
        "simulated attestations say so");

    // The policy now names another signer: the next release (after the caches are gone) is denied.
    dev.admin().setPolicy("sales", DevBroker.policy("00".repeat(32)));
    KeyReleases.closeAll();
    Exception denied =
        assertThrows(
            Exception.class,
            () ->
                spark
                    .read()
                    .format("ppml")
                    .option("format", "csv")
                    .option("header", "true")
                    .schema("id BIGINT, name STRING")
                    .load(out.toString())
                    .count());
    String chain = causes(denied);
    assertTrue(chain.contains("403") || chain.toLowerCase().contains("denied"), chain);
    assertTrue(chain.toLowerCase().contains("mrsigner"), "the violation is named: " + chain);
    assertTrue(
        dev.admin().audit(Instant.EPOCH).stream()
            .anyMatch(r -> r.path("decision").asText().equals("deny")),
        "the denial is audited");
    dev.admin().setPolicy("sales", dev.devEnclavePolicy());
  }

  @Test
  void aGenericKbsServesJobsThroughTheSameFormat() throws Exception {
    // The broker's KBS endpoints stand in for any KBS 0.4.0: the data key is resource
    // ppml/keys/NAME.
    byte[] dataKey = new byte[32];
    new java.security.SecureRandom().nextBytes(dataKey);
    dev.admin().putResource("ppml/keys/kbs-sales", dataKey, dev.devEnclavePolicy());
    String kbs = "kbs+https://" + URI.create(dev.server().url()).getAuthority();
    spark.conf().set(PpmlConf.KMS_URL, kbs);
    spark.conf().set(PpmlConf.KEY, "kbs-sales");
    try {
      KeyReleases.closeAll();
      Path out = dir.resolve("kbs-people");
      Dataset<Row> df = spark.sql("SELECT id, concat('k-', id) AS name FROM range(0, 300)");
      df.write()
          .format("ppml")
          .option("format", "parquet")
          .mode(SaveMode.Overwrite)
          .save(out.toString());
      Path part;
      try (var files = Files.list(out)) {
        part =
            files
                .filter(p -> p.getFileName().toString().startsWith("part-"))
                .findFirst()
                .orElseThrow();
      }
      EnvelopeHeader header =
          EnvelopeHeader.decode(Arrays.copyOf(Files.readAllBytes(part), 1024), "part");
      assertEquals(kbs, header.kms());
      assertEquals("kbs-sales", header.keyName());
      KeyReleases.closeAll();
      Dataset<Row> back =
          spark.read().format("ppml").option("format", "parquet").load(out.toString());
      assertEquals(df.orderBy("id").collectAsList(), back.orderBy("id").collectAsList());
      assertTrue(
          dev.admin().audit(Instant.EPOCH).stream()
              .anyMatch(
                  r ->
                      r.path("event").asText().equals("resource")
                          && r.path("keyName").asText().equals("ppml/keys/kbs-sales")
                          && r.path("decision").asText().equals("allow")),
          "the executor's resource fetch is audited");
    } finally {
      spark
          .conf()
          .set(PpmlConf.KMS_URL, "ppml+https://" + URI.create(dev.server().url()).getAuthority());
      spark.conf().set(PpmlConf.KEY, "sales");
      KeyReleases.closeAll();
    }
  }

  private static String causes(Throwable t) {
    StringBuilder s = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      s.append(c.getClass().getSimpleName()).append(": ").append(c.getMessage()).append(" | ");
    }
    return s.toString();
  }
}
