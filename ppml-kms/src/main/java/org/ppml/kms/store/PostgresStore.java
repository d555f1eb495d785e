package org.ppml.kms.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.ppml.kms.metrics.PoolUsage;

/**
 * The broker's state in a PostgreSQL database that several replicas share, through a HikariCP pool.
 *
 * <p>Transactions run at READ COMMITTED. The statements above are written for concurrent replicas
 * rather than relying on a stronger isolation level: a nonce is used up by a {@code DELETE} whose
 * row count says whether this transaction won it, key creation is an {@code INSERT ... ON CONFLICT
 * DO NOTHING}, a rotation increments the version in one {@code UPDATE ... RETURNING}, and first
 * start and audit appends take an advisory lock ({@link #lock}). A commit returns once PostgreSQL
 * has flushed it ({@code synchronous_commit} on), so an acknowledged write is durable, as with
 * SQLite.
 */
public final class PostgresStore implements BrokerDatabase {
  private static final int POOL = 16;

  private final PostgresLocation location;
  private final HikariDataSource pool;

  private PostgresStore(PostgresLocation location, HikariDataSource pool) {
    this.location = location;
    this.pool = pool;
  }

  /** Connects to {@code location} and migrates its schema to the newest version. */
  public static PostgresStore open(PostgresLocation location) throws StoreException {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(location.jdbcUrl());
    config.setUsername(location.user());
    if (location.password() != null) {
      config.setPassword(new String(location.password()));
    }
    config.setAutoCommit(false);
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    config.setMaximumPoolSize(POOL);
    config.setMinimumIdle(2);
    config.setPoolName("ppml-kms-db");
    config.setConnectionTimeout(10_000);
    // Fail at start, with the driver's reason, rather than on the first request.
    config.setInitializationFailTimeout(10_000);
    config.addDataSourceProperty("ApplicationName", "ppml-kms");
    config.addDataSourceProperty("tcpKeepAlive", "true");
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreException(
          "cannot connect to " + location.jdbcUrl() + " as " + location.user() + ": " + reason(e),
          e);
    }
    PostgresStore store = new PostgresStore(location, pool);
    try {
      store.inTransaction(
          c -> {
            store.lock(c, TransactionLock.INITIALISE);
            return SchemaMigrations.migrate(c, Dialect.POSTGRESQL);
          });
    } catch (StoreException | RuntimeException e) {
      pool.close();
      throw e;
    }
    return store;
  }

  private static String reason(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  @Override
  public Dialect dialect() {
    return Dialect.POSTGRESQL;
  }

  @Override
  public <T> T inTransaction(Work<T> work) throws StoreException {
    try (Connection c = pool.getConnection()) {
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | StoreException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException ignored) {
          // The original failure is the one worth reporting.
        }
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("database error: " + e.getMessage(), e);
    }
  }

  @Override
  public <T> T inRelaxedTransaction(Work<T> work) throws StoreException {
    return inTransaction(
        c -> {
          // Visible to every replica at commit; only the wait for the WAL flush is skipped.
          try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL synchronous_commit = off");
          }
          return work.run(c);
        });
  }

  @Override
  public <T> T read(Work<T> work) throws StoreException {
    try (Connection c = pool.getConnection()) {
      try {
        return work.run(c);
      } finally {
        c.rollback();
      }
    } catch (SQLException e) {
      throw new StoreException("database error: " + e.getMessage(), e);
    }
  }

  @Override
  public void lock(Connection c, TransactionLock lock) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
      s.setLong(1, lock.id());
      s.execute();
    }
  }

  @Override
  public boolean reachable(Duration timeout) {
    try (Connection c = pool.getConnection()) {
      boolean valid = c.isValid((int) Math.max(1, timeout.toSeconds()));
      if (!valid) {
        // A connection the server dropped (a restart, say) must not go back to the pool.
        pool.evictConnection(c);
      }
      return valid;
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  /** The HikariCP pool, as its MXBean counts it (all zero before the pool has started). */
  @Override
  public Map<String, Supplier<PoolUsage>> pools() {
    return Map.of("postgresql", this::poolUsage);
  }

  private PoolUsage poolUsage() {
    HikariPoolMXBean bean = pool.getHikariPoolMXBean();
    if (bean == null) {
      return new PoolUsage(0, 0, 0, POOL);
    }
    return new PoolUsage(
        bean.getActiveConnections(),
        bean.getIdleConnections(),
        bean.getThreadsAwaitingConnection(),
        pool.getMaximumPoolSize());
  }

  @Override
  public String describe() {
    return location.jdbcUrl() + " as " + location.user();
  }

  @Override
  public void close() {
    pool.close();
  }

  @Override
  public String toString() {
    return "PostgresStore[" + describe() + "]";
  }
}
