package org.ppml.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.attestation.simulated.DevHome;
import org.ppml.kms.http.KeyBrokerServer;
import org.ppml.kms.testing.PostgresServer;
import org.ppml.kms.testing.TestBackend;
import org.ppml.kmsclient.broker.BrokerTls;

/**
 * {@code /healthz} and {@code /readyz} of real brokers over TLS, with no credential: up and ready
 * when all is well, not ready (naming only the failed check) when the database is gone (SQLite: its
 * file moved away; PostgreSQL: its server stopped) or the collateral the broker holds has expired,
 * and ready again once the database is back. Runs on both backends ({@link TestBackend}).
 */
class BrokerProbesTest {
  private static final Path VECTORS =
      Path.of(System.getProperty("ppml.testdata", "../../shared/testdata"))
          .resolve("dcap/phala-dcap-qvl");

  @TempDir Path tmp;

  @Test
  void readyUntilTheDatabaseFileIsGoneAndAgainWhenItIsBack() throws Exception {
    assumeFalse(TestBackend.postgres(), "a SQLite file check; the PostgreSQL run stops its server");
    try (BrokerFixture broker = new BrokerFixture(tmp)) {
      RawKbs raw = new RawKbs(broker.url(), broker.tls());
      RawKbs.Reply health = raw.send("GET", "/healthz", null, null);
      assertEquals(200, health.status());
      assertEquals("{\"status\":\"up\"}", health.body());
      RawKbs.Reply ready = raw.send("GET", "/readyz", null, null);
      assertEquals(200, ready.status());
      assertEquals("{\"status\":\"ready\"}", ready.body());
      assertEquals(405, raw.send("POST", "/readyz", null, null).status());

      Path db = broker.server.databaseFile();
      Path away = db.resolveSibling("moved-away.db");
      Files.move(db, away);
      try {
        RawKbs.Reply down = raw.send("GET", "/readyz", null, null);
        assertEquals(503, down.status());
        // Which check failed, and nothing else: no path, no exception text.
        assertEquals("{\"status\":\"not ready\",\"failed\":[\"database\"]}", down.body());
        assertEquals(200, raw.send("GET", "/healthz", null, null).status());
      } finally {
        Files.move(away, db);
      }
      assertEquals(200, raw.send("GET", "/readyz", null, null).status());
    }
  }

  @Test
  void notReadyWhileThePostgresqlServerIsDownAndReadyWhenItIsBack() throws Exception {
    assumeTrue(TestBackend.postgres(), "runs in the postgresql execution");
    assumeTrue(PostgresServer.available(), PostgresServer.HOW_TO_ENABLE);
    // A server of its own: the shared one serves the other tests of this JVM. Its directory is
    // not under @TempDir, which is private to this user (the server may run as another, see
    // PostgresServer); close() deletes it.
    PostgresServer pg = PostgresServer.start(Files.createTempDirectory("ppml-pg-"));
    try {
      DevHome dev = DevHome.init(tmp.resolve("dev"), Instant.now().minusSeconds(60));
      KeyBrokerConfig config =
          KeyBrokerConfig.dev(tmp.resolve("state"), dev.directory())
              .withDatabase(pg.createDatabase(), null);
      try (KeyBrokerServer server =
          KeyBrokerServer.start(
              config, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
        RawKbs raw =
            new RawKbs(java.net.URI.create(server.url()), BrokerTls.pinned(server.tlsSha256()));
        assertEquals("{\"status\":\"ready\"}", raw.send("GET", "/readyz", null, null).body());

        pg.stop();
        try {
          RawKbs.Reply down = raw.send("GET", "/readyz", null, null);
          assertEquals(503, down.status());
          assertEquals("{\"status\":\"not ready\",\"failed\":[\"database\"]}", down.body());
          assertEquals(200, raw.send("GET", "/healthz", null, null).status());
        } finally {
          pg.resume();
        }
        // Pooled connections the restart cut are found dead and replaced as probes come: ready
        // again within a few probes, as an orchestrator polling /readyz would see it.
        RawKbs.Reply back = raw.send("GET", "/readyz", null, null);
        for (int probe = 1; back.status() != 200 && probe < 40; probe++) {
          Thread.sleep(250);
          back = raw.send("GET", "/readyz", null, null);
        }
        assertEquals(200, back.status(), back.body());
      }
    } finally {
      pg.close();
    }
  }

  @Test
  void heldCollateralMustBeFreshInStrictCrlMode() throws Exception {
    DevHome dev = DevHome.init(tmp.resolve("dev"), Instant.now().minusSeconds(60));
    Path expired = Files.createDirectories(tmp.resolve("expired"));
    // Real Intel collateral whose TCB Info and QE Identity passed their nextUpdate in 2025.
    Files.copy(VECTORS.resolve("sgx_quote_collateral.json"), expired.resolve("intel-sgx.json"));
    Files.copy(dev.collateralFile(), expired.resolve("dev.json"));
    assertEquals(
        "{\"status\":\"not ready\",\"failed\":[\"collateral\"]}",
        readyz(production(tmp.resolve("data-expired"), expired), 503));

    Path fresh = Files.createDirectories(tmp.resolve("fresh"));
    Files.copy(dev.collateralFile(), fresh.resolve("dev.json"));
    assertEquals(
        "{\"status\":\"ready\"}", readyz(production(tmp.resolve("data-fresh"), fresh), 200));
  }

  private static KeyBrokerConfig production(Path data, Path collateral) throws Exception {
    return TestBackend.onBackend(KeyBrokerConfig.builder(data).collateralFile(collateral).build());
  }

  private static String readyz(KeyBrokerConfig config, int status) throws Exception {
    try (KeyBrokerServer server =
        KeyBrokerServer.start(
            config, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
      RawKbs raw =
          new RawKbs(java.net.URI.create(server.url()), BrokerTls.pinned(server.tlsSha256()));
      RawKbs.Reply r = raw.send("GET", "/readyz", null, null);
      assertEquals(status, r.status(), r.body());
      return r.body();
    }
  }
}
