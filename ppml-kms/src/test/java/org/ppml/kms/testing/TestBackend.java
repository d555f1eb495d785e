package org.ppml.kms.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assumptions;
import org.ppml.kms.KeyBrokerConfig;
import org.ppml.kms.store.BrokerDatabase;
import org.ppml.kms.store.PostgresLocation;
import org.ppml.kms.store.PostgresStore;
import org.ppml.kms.store.SqliteStore;

/**
 * Which storage the broker tests run on: SQLite (the default) or, with {@code
 * -Dppml.kms.test.backend=postgresql} (the {@code postgresql} Surefire execution of ppml-kms), a
 * real PostgreSQL server from {@link PostgresServer}. The same test classes run on both; a test
 * asks here for its broker's configuration instead of building one.
 */
public final class TestBackend {
  /** The system property naming the backend. */
  public static final String PROPERTY = "ppml.kms.test.backend";

  // One database per state directory, so a broker restarted on its directory finds its data again.
  private static final Map<Path, PostgresLocation> DATABASES = new ConcurrentHashMap<>();

  private TestBackend() {}

  /** Whether this run is on PostgreSQL. */
  public static boolean postgres() {
    return "postgresql".equals(System.getProperty(PROPERTY));
  }

  /**
   * The dev-mode configuration of a broker with its files in {@code dataDir}: SQLite there, or a
   * PostgreSQL database of its own with {@code dataDir} as the state directory. On PostgreSQL
   * without a server installed, the test is skipped with {@link PostgresServer#HOW_TO_ENABLE}.
   */
  public static KeyBrokerConfig devConfig(Path dataDir, Path devHome) throws Exception {
    return onBackend(KeyBrokerConfig.dev(dataDir, devHome));
  }

  /** {@code config} moved onto this run's backend (unchanged on SQLite). */
  public static KeyBrokerConfig onBackend(KeyBrokerConfig config) throws Exception {
    if (!postgres()) {
      return config;
    }
    return config.withDatabase(database(config.dataDir()), config.masterKeyValue());
  }

  /**
   * A second store on the database of the broker whose files are in {@code dataDir}, for tests that
   * fill or inspect it beside the broker.
   */
  public static BrokerDatabase open(Path dataDir) throws Exception {
    return postgres() ? PostgresStore.open(database(dataDir)) : SqliteStore.open(dataDir);
  }

  /** A plain JDBC connection to that database (autocommit). */
  public static Connection connect(Path dataDir) throws Exception {
    if (!postgres()) {
      return DriverManager.getConnection(
          "jdbc:sqlite:" + dataDir.resolve(SqliteStore.FILE_NAME).toAbsolutePath());
    }
    PostgresLocation db = database(dataDir);
    return DriverManager.getConnection(db.jdbcUrl(), db.user(), new String(db.password()));
  }

  /** The PostgreSQL database of {@code dataDir}, created on first use. */
  public static PostgresLocation database(Path dataDir) throws Exception {
    Assumptions.assumeTrue(PostgresServer.available(), PostgresServer.HOW_TO_ENABLE);
    PostgresLocation known = DATABASES.get(dataDir.toAbsolutePath());
    if (known != null) {
      return known;
    }
    PostgresLocation fresh = PostgresServer.shared().createDatabase();
    DATABASES.put(dataDir.toAbsolutePath(), fresh);
    return fresh;
  }
}
