package org.ppml.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.attestation.broker.BrokerTls;
import org.ppml.attestation.broker.KeyBrokerAdminClient;
import org.ppml.attestation.simulated.DevHome;
import org.ppml.kms.http.KeyBrokerServer;
import org.ppml.kms.store.SqliteStore;

/**
 * kill -9 of a broker process while keys are being created: after a restart every key whose
 * creation was acknowledged is there, with its audit record, and the database is intact.
 */
class BrokerCrashTest {
  @TempDir Path tmp;

  @Test
  void acknowledgedKeysSurviveKillDashNine() throws Exception {
    DevHome home = DevHome.init(tmp.resolve("dev"), Instant.now().minusSeconds(60));
    Path data = tmp.resolve("data");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                KmsServeCommand.class.getName(),
                "--dev",
                "--dev-home",
                home.directory().toString(),
                "--data",
                data.toString(),
                "--listen",
                "127.0.0.1:0")
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("child.log").toFile())
            .start();
    ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
    try {
      Path endpoint = data.resolve(KeyBrokerServer.ENDPOINT_FILE);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!Files.exists(endpoint) && System.nanoTime() < deadline && child.isAlive()) {
        Thread.sleep(100);
      }
      assertTrue(
          Files.exists(endpoint), () -> "broker did not start: " + read(tmp.resolve("child.log")));
      JsonNode e = RawKbs.JSON.readTree(Files.readString(endpoint));
      KeyBrokerAdminClient admin =
          new KeyBrokerAdminClient(
              URI.create(e.get("url").asText()),
              BrokerTls.pinned(e.get("tlsSha256").asText()),
              Files.readString(data.resolve(KeyBrokerServer.ADMIN_TOKEN_FILE)),
              Duration.ofSeconds(10));
      Thread load =
          new Thread(
              () -> {
                for (int i = 0; ; i++) {
                  try {
                    admin.createKey("crash-" + i, null);
                    acknowledged.add("crash-" + i);
                  } catch (Exception x) {
                    return;
                  }
                }
              });
      load.start();
      while (acknowledged.size() < 25 && load.isAlive()) {
        Thread.sleep(10);
      }
      child.destroyForcibly();
      child.waitFor();
      load.join(20_000);
    } finally {
      child.destroyForcibly();
    }
    assertTrue(acknowledged.size() >= 25, "load did not run: " + read(tmp.resolve("child.log")));

    try (KeyBrokerServer restarted =
        KeyBrokerServer.start(KeyBrokerConfig.dev(data, home.directory()), null)) {
      assertTrue(restarted.firstAdminToken().isEmpty());
    }
    try (SqliteStore store = SqliteStore.open(data)) {
      assertEquals("ok", store.integrityCheck());
    }
    try (KeyBrokerServer restarted =
        KeyBrokerServer.start(KeyBrokerConfig.dev(data, home.directory()), null)) {
      KeyBrokerAdminClient admin =
          new KeyBrokerAdminClient(
              URI.create(restarted.url()),
              BrokerTls.pinned(restarted.tlsSha256()),
              Files.readString(data.resolve(KeyBrokerServer.ADMIN_TOKEN_FILE)),
              Duration.ofSeconds(10));
      Set<String> present =
          admin.listKeys().stream().map(k -> k.name()).collect(Collectors.toSet());
      for (String name : acknowledged) {
        assertTrue(present.contains(name), name + " was acknowledged but is gone");
      }
      List<JsonNode> audit = admin.audit(null);
      Set<String> audited =
          audit.stream()
              .filter(r -> r.get("event").asText().equals("admin.create-key"))
              .map(r -> r.get("keyName").asText())
              .collect(Collectors.toSet());
      assertTrue(audited.containsAll(acknowledged), "an acknowledged creation has no audit record");
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      return "(no log)";
    }
  }
}
