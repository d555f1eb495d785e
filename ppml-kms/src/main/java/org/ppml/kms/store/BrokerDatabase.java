package org.ppml.kms.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.ppml.kms.metrics.PoolUsage;

/**
 * Where the broker keeps its state: one SQLite file ({@link SqliteStore}) or a PostgreSQL database
 * shared by several replicas ({@link PostgresStore}). The stores above it issue the same SQL to
 * both, apart from the few statements that name a {@link Dialect}.
 *
 * <p>Every change goes through {@link #inTransaction}, and is durable when it returns: SQLite in
 * WAL with {@code synchronous=FULL}, PostgreSQL with {@code synchronous_commit} on (its default).
 */
public interface BrokerDatabase extends AutoCloseable {
  /** The SQL dialects the broker speaks. */
  enum Dialect {
    SQLITE,
    POSTGRESQL
  }

  /** Work done inside one transaction. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException, StoreException;
  }

  /** Which SQL this database speaks. */
  Dialect dialect();

  /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
  <T> T inTransaction(Work<T> work) throws StoreException;

  /**
   * Runs {@code work} in one transaction whose commit is visible to every later reader (of any
   * replica) when this returns, but may be lost in a crash: for state a client recreates by itself,
   * such as a KBS session (the client attests again), where an fsync per write would cost every
   * attest.
   */
  <T> T inRelaxedTransaction(Work<T> work) throws StoreException;

  /** Runs read-only {@code work} against the last committed state. */
  <T> T read(Work<T> work) throws StoreException;

  /**
   * Inside a transaction of {@link #inTransaction}, waits until no other transaction (of this
   * process or of another replica) holds {@code lock}, and holds it until this one ends.
   * First-start initialisation and audit appends use it, so two replicas never both issue the first
   * admin token and audit ids become visible in the order they were assigned.
   */
  void lock(Connection c, TransactionLock lock) throws SQLException;

  /**
   * Whether the database answers a trivial query within {@code timeout}: the "database reachable"
   * part of a readiness probe. Never throws; false on any failure (for SQLite, also when the file
   * was deleted or replaced under the running broker).
   */
  boolean reachable(Duration timeout);

  /**
   * The connection pools behind this database, by the name {@code /metrics} labels them with, each
   * read when metrics are scraped.
   */
  Map<String, Supplier<PoolUsage>> pools();

  /** Where the data is, for banners and errors: a file, or a JDBC URL without credentials. */
  String describe();

  @Override
  void close() throws StoreException;

  /** The transaction-scoped locks the broker takes. */
  enum TransactionLock {
    /** First start: schema, master key check, signing key, TLS identity, first admin token. */
    INITIALISE(0x70706d6c_0001L),
    /** The audit table: ids commit in the order they were taken. */
    AUDIT(0x70706d6c_0002L);

    private final long id;

    TransactionLock(long id) {
      this.id = id;
    }

    /** The PostgreSQL advisory lock key. */
    public long id() {
      return id;
    }
  }
}
