package org.ppml.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.attestation.simulated.DevHome;
import org.ppml.kms.http.KeyBrokerServer;
import org.ppml.kms.store.PostgresLocation;
import org.ppml.kms.store.SqliteStore;
import org.ppml.kms.testing.BrokerProcess;
import org.ppml.kms.testing.StoreContents;
import org.ppml.kms.testing.TestBackend;
import org.ppml.kmsclient.broker.BrokerTls;
import org.ppml.kmsclient.broker.KeyBrokerAdminClient;

/**
 * kill -9 of a broker process, several times, while administrators create keys, set policies and
 * put resources from several threads: after each restart every acknowledged change is there, and
 * every key, policy and resource in the database has its audit record (a change and its record
 * commit in one transaction, so a change in flight at the kill is either there with its record or
 * not there at all). {@code -Dppml.kms.crash.cycles=10} runs the longer version.
 */
class BrokerCrashTest {
  private static final int CYCLES = Integer.getInteger("ppml.kms.crash.cycles", 3);
  private static final int WRITERS = 6;
  private static final int ACKS_PER_CYCLE = 30;

  @TempDir Path tmp;

  @Test
  void acknowledgedChangesSurviveKillDashNineWithTheirAuditRecords() throws Exception {
    DevHome home = DevHome.init(tmp.resolve("dev"), Instant.now().minusSeconds(60));
    Path data = tmp.resolve("data");
    PostgresLocation db = TestBackend.postgres() ? TestBackend.database(data) : null;
    Set<String> keys = ConcurrentHashMap.newKeySet();
    Set<String> policies = ConcurrentHashMap.newKeySet();
    Set<String> resources = ConcurrentHashMap.newKeySet();
    String adminToken = null;
    for (int cycle = 0; cycle < CYCLES; cycle++) {
      BrokerProcess broker =
          BrokerProcess.start(data, home.directory(), db, "127.0.0.1:0", Map.of());
      AtomicInteger acks = new AtomicInteger();
      List<Thread> writers = new ArrayList<>();
      try {
        if (adminToken == null) {
          adminToken = broker.adminToken();
        }
        KeyBrokerAdminClient admin =
            new KeyBrokerAdminClient(
                broker.url(),
                BrokerTls.pinned(broker.tlsSha256()),
                adminToken,
                Duration.ofSeconds(10));
        String policy = "{\"mrSigner\":\"" + "ab".repeat(32) + "\",\"isvProdId\":0}";
        for (int w = 0; w < WRITERS; w++) {
          String prefix = "c" + cycle + "w" + w + "-";
          Thread t =
              new Thread(
                  () -> {
                    for (int i = 0; ; i++) {
                      try {
                        String name = prefix + i;
                        admin.createKey(name, null);
                        keys.add(name);
                        acks.incrementAndGet();
                        admin.setPolicy(name, policy);
                        policies.add(name);
                        admin.putResource("crash/test/" + name, new byte[] {1, 2, 3}, null);
                        resources.add("crash/test/" + name);
                        acks.incrementAndGet();
                      } catch (Exception x) {
                        return;
                      }
                    }
                  });
          t.start();
          writers.add(t);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (acks.get() < ACKS_PER_CYCLE && System.nanoTime() < deadline) {
          Thread.sleep(5);
        }
        assertTrue(acks.get() >= ACKS_PER_CYCLE, "load did not run: " + broker.log());
      } finally {
        // Mid-load: every writer has a request in flight.
        broker.kill();
      }
      for (Thread t : writers) {
        t.join(30_000);
      }
      check(data, db, keys, policies, resources);
    }
    if (db == null) {
      try (SqliteStore store = SqliteStore.open(data)) {
        assertEquals("ok", store.integrityCheck());
      }
    }
    try (KeyBrokerServer restarted =
        KeyBrokerServer.start(TestBackend.devConfig(data, home.directory()), null)) {
      assertTrue(restarted.firstAdminToken().isEmpty());
      KeyBrokerAdminClient admin =
          new KeyBrokerAdminClient(
              java.net.URI.create(restarted.url()),
              BrokerTls.pinned(restarted.tlsSha256()),
              adminToken,
              Duration.ofSeconds(10));
      assertTrue(admin.listKeys().stream().map(k -> k.name()).toList().containsAll(keys));
    }
  }

  private static void check(
      Path data, PostgresLocation db, Set<String> keys, Set<String> policies, Set<String> resources)
      throws Exception {
    StoreContents stored = StoreContents.read(data, db);
    for (String k : keys) {
      assertTrue(stored.keys().containsKey(k), k + " was acknowledged but is gone");
    }
    for (String k : policies) {
      assertTrue(stored.keys().get(k), "the acknowledged policy of " + k + " is gone");
    }
    for (String r : resources) {
      assertTrue(stored.resources().contains(r), r + " was acknowledged but is gone");
    }
    for (Map.Entry<String, Boolean> k : stored.keys().entrySet()) {
      assertTrue(
          stored.audits("admin.create-key", k.getKey()),
          "key " + k.getKey() + " is in the store without its admin.create-key record");
      if (k.getValue()) {
        assertTrue(
            stored.audits("admin.set-policy", k.getKey()),
            "the policy of " + k.getKey() + " is in the store without its admin.set-policy record");
      }
    }
    for (String r : stored.resources()) {
      assertTrue(
          stored.audits("admin.put-resource", r),
          "resource " + r + " is in the store without its admin.put-resource record");
    }
  }
}
