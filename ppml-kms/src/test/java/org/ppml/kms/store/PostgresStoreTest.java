package org.ppml.kms.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.kms.attest.NonceStore;
import org.ppml.kms.testing.PostgresServer;

/**
 * The PostgreSQL store against a real server, with two stores on one database standing for two
 * replicas: migrations (once, versioned, a newer schema refused), first-start races, and the single
 * use of a nonce raced from both.
 */
class PostgresStoreTest {
  @TempDir Path tmp;
  private PostgresLocation db;

  @BeforeEach
  void database() throws Exception {
    Assumptions.assumeTrue(PostgresServer.available(), PostgresServer.HOW_TO_ENABLE);
    db = PostgresServer.shared().createDatabase();
  }

  @Test
  void replicasOpeningTogetherMigrateOnceAndANewerSchemaIsRefused() throws Exception {
    List<Future<PostgresStore>> opened = race(8, () -> PostgresStore.open(db));
    for (Future<PostgresStore> f : opened) {
      f.get().close();
    }
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT count(*), max(version) FROM schema_version")) {
        rs.next();
        assertEquals(SchemaMigrations.latest(), rs.getInt(1), "each version applied once");
        assertEquals(SchemaMigrations.latest(), rs.getInt(2));
      }
      s.execute("INSERT INTO schema_version (version) VALUES (999)");
    }
    StoreException newer = assertThrows(StoreException.class, () -> PostgresStore.open(db));
    assertTrue(newer.getMessage().contains("newer than this broker"), newer.getMessage());
  }

  @Test
  void replicasStartingTogetherShareOneSigningSecretAndIssueOneFirstAdminToken() throws Exception {
    MasterKey master = MasterKey.load(null, tmp.resolve("master.key"));
    try (PostgresStore a = PostgresStore.open(db);
        PostgresStore b = PostgresStore.open(db)) {
      List<Future<Optional<String>>> first =
          race(
              8,
              () -> {
                PostgresStore s = Math.random() < 0.5 ? a : b;
                new SealedSettings(s, master).checkMasterKey();
                return new ApiTokenStore(s).issueFirstAdmin("first start", token -> {});
              });
      int issued = 0;
      for (Future<Optional<String>> f : first) {
        issued += f.get().isPresent() ? 1 : 0;
      }
      assertEquals(1, issued, "exactly one first admin token");
      List<Future<byte[]>> secrets =
          race(
              8,
              () ->
                  new SealedSettings(Math.random() < 0.5 ? a : b, master)
                      .readOrCreate("shared", java.util.UUID.randomUUID().toString().getBytes()));
      String winner = new String(secrets.get(0).get());
      for (Future<byte[]> f : secrets) {
        assertEquals(winner, new String(f.get()), "every replica reads the first committed value");
      }
      assertTrue(a.reachable(Duration.ofSeconds(5)));
    } finally {
      master.destroy();
    }
  }

  @Test
  void aNonceRacedOnTwoReplicasIsUsedOnce() throws Exception {
    try (PostgresStore a = PostgresStore.open(db);
        PostgresStore b = PostgresStore.open(db)) {
      NonceStore onA = new NonceStore(a);
      NonceStore onB = new NonceStore(b);
      Instant now = Instant.now();
      for (int round = 0; round < 20; round++) {
        String nonce = onA.issue("s", now);
        List<Future<Boolean>> tries =
            race(6, () -> (Math.random() < 0.5 ? onA : onB).consume("s", nonce, now));
        int won = 0;
        for (Future<Boolean> t : tries) {
          won += t.get() ? 1 : 0;
        }
        assertEquals(1, won, "round " + round);
      }
      assertFalse(onB.consume("s", onA.issue("other", now), now), "another session's nonce");
    }
  }

  private Connection connect() throws Exception {
    return DriverManager.getConnection(db.jdbcUrl(), db.user(), new String(db.password()));
  }

  private static <T> List<Future<T>> race(int n, Callable<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Callable<T>> all = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        all.add(task);
      }
      List<Future<T>> out = pool.invokeAll(all);
      for (Future<T> f : out) {
        f.get();
      }
      return out;
    } finally {
      pool.shutdown();
    }
  }
}
