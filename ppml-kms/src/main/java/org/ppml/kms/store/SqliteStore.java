package org.ppml.kms.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.ppml.kms.metrics.PoolUsage;
import org.sqlite.SQLiteConfig;

/**
 * The broker's SQLite database: one connection in WAL mode with {@code synchronous=FULL}, so a
 * change is on disk before the request that made it is acknowledged.
 *
 * <p>Writes go through {@link #inTransaction}, which serialises writers on one connection: a single
 * writer keeps SQLite free of {@code SQLITE_BUSY}. Reads go through {@link #read} on a small pool
 * of read-only connections, so a release never waits for another request's fsync nor for another
 * release's lookups; WAL gives each read a consistent snapshot of the last commit.
 */
public final class SqliteStore implements BrokerDatabase {
  /** The database file name inside the data directory. */
  public static final String FILE_NAME = "broker.db";

  private final Path file;
  private final Object fileKey;
  private final Connection connection;
  private static final int READERS = 4;

  private final BlockingQueue<Connection> readers;
  private final AtomicInteger writersWaiting = new AtomicInteger();
  private final AtomicInteger readersWaiting = new AtomicInteger();
  private volatile boolean writing;

  private SqliteStore(Path file, Connection connection, List<Connection> readers) {
    this.file = file;
    this.fileKey = fileKeyOf(file);
    this.connection = connection;
    this.readers = new ArrayBlockingQueue<>(Math.max(1, readers.size()), false, readers);
  }

  /**
   * Opens (creating if needed) {@code dataDir/broker.db} and migrates its schema to the newest
   * version.
   */
  public static SqliteStore open(Path dataDir) throws StoreException {
    Path file = dataDir.resolve(FILE_NAME).toAbsolutePath();
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new StoreException(
          "cannot create data directory " + dataDir + ": " + e.getMessage(), e);
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.enforceForeignKeys(true);
    config.setBusyTimeout(10_000);
    try {
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
      c.setAutoCommit(false);
      new SqliteStore(file, c, List.of())
          .inTransaction(t -> SchemaMigrations.migrate(t, Dialect.SQLITE));
      SQLiteConfig readOnly = new SQLiteConfig();
      readOnly.setReadOnly(true);
      readOnly.setBusyTimeout(10_000);
      List<Connection> readers = new ArrayList<>();
      for (int i = 0; i < READERS; i++) {
        Connection r = DriverManager.getConnection("jdbc:sqlite:" + file, readOnly.toProperties());
        r.setAutoCommit(false);
        readers.add(r);
      }
      return new SqliteStore(file, c, readers);
    } catch (SQLException e) {
      throw new StoreException("cannot open " + file + ": " + e.getMessage(), e);
    }
  }

  private static Object fileKeyOf(Path file) {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    } catch (IOException e) {
      return null;
    }
  }

  /** The database file. */
  public Path file() {
    return file;
  }

  @Override
  public Dialect dialect() {
    return Dialect.SQLITE;
  }

  /** One writer connection: every transaction here already holds every lock. */
  @Override
  public void lock(Connection c, TransactionLock lock) {}

  /**
   * Whether the database answers a read and is still the file it opened: a database file deleted or
   * replaced under a running broker would take its writes to a file nobody will open again. A local
   * file answers at once, so {@code timeout} is not needed.
   */
  @Override
  public boolean reachable(Duration timeout) {
    try {
      checkReachable();
      return true;
    } catch (StoreException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public String describe() {
    return file.toString();
  }

  @Override
  public <T> T inTransaction(Work<T> work) throws StoreException {
    writersWaiting.incrementAndGet();
    return writeLocked(work);
  }

  // Synchronized: one writer at a time on the one connection. The waiting count is taken before
  // the monitor, so the metrics see threads queued for it.
  private synchronized <T> T writeLocked(Work<T> work) throws StoreException {
    writersWaiting.decrementAndGet();
    writing = true;
    try {
      T result = work.run(connection);
      connection.commit();
      return result;
    } catch (SQLException | StoreException | RuntimeException e) {
      try {
        connection.rollback();
      } catch (SQLException ignored) {
        // The original failure is the one worth reporting.
      }
      if (e instanceof StoreException se) {
        throw se;
      }
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new StoreException("database error: " + e.getMessage(), e);
    } finally {
      writing = false;
    }
  }

  /**
   * As {@link #inTransaction}, with {@code synchronous=NORMAL} for this one commit: in WAL mode the
   * commit is appended to the log without an fsync, and the next FULL commit's fsync makes it
   * durable too. The pragma cannot change inside a transaction, so autocommit is on around it.
   */
  @Override
  public <T> T inRelaxedTransaction(Work<T> work) throws StoreException {
    writersWaiting.incrementAndGet();
    return relaxedLocked(work);
  }

  private synchronized <T> T relaxedLocked(Work<T> work) throws StoreException {
    synchronous("NORMAL");
    try {
      return writeLocked(work);
    } finally {
      synchronous("FULL");
    }
  }

  private void synchronous(String mode) throws StoreException {
    try {
      connection.setAutoCommit(true);
      try (Statement s = connection.createStatement()) {
        s.execute("PRAGMA synchronous = " + mode);
      }
      connection.setAutoCommit(false);
    } catch (SQLException e) {
      throw new StoreException("database error: " + e.getMessage(), e);
    }
  }

  /**
   * Use of the one writing connection: busy while a transaction runs, with the threads queued for
   * it (for metrics).
   */
  public PoolUsage writerUsage() {
    int active = writing ? 1 : 0;
    return new PoolUsage(active, 1 - active, writersWaiting.get(), 1);
  }

  /** Use of the read-only connections (for metrics). */
  public PoolUsage readerUsage() {
    int idle = readers.size();
    return new PoolUsage(READERS - idle, idle, readersWaiting.get(), READERS);
  }

  @Override
  public Map<String, Supplier<PoolUsage>> pools() {
    return Map.of("sqlite-writer", this::writerUsage, "sqlite-readers", this::readerUsage);
  }

  @Override
  public <T> T read(Work<T> work) throws StoreException {
    Connection reader;
    readersWaiting.incrementAndGet();
    try {
      reader = readers.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for a database connection", e);
    } finally {
      readersWaiting.decrementAndGet();
    }
    try {
      return work.run(reader);
    } catch (SQLException e) {
      throw new StoreException("database error: " + e.getMessage(), e);
    } finally {
      try {
        // Ends the read transaction, so the next read sees the newest commit.
        reader.rollback();
      } catch (SQLException ignored) {
        // Nothing was written; a failed rollback leaves nothing to undo.
      }
      readers.add(reader);
    }
  }

  /**
   * Confirms the database answers a read and is still the file it opened: a database file deleted
   * or replaced under a running broker would take its writes to a file nobody will open again.
   *
   * @throws StoreException saying which
   */
  void checkReachable() throws StoreException {
    Object now;
    try {
      now = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    } catch (IOException e) {
      throw new StoreException(file + " is gone: " + e.getClass().getSimpleName(), e);
    }
    if (fileKey != null && !fileKey.equals(now)) {
      throw new StoreException(file + " was replaced after the broker opened it");
    }
    read(
        c -> {
          try (Statement s = c.createStatement();
              var rs = s.executeQuery("SELECT count(*) FROM sqlite_master")) {
            return rs.next();
          }
        });
  }

  /** Runs {@code PRAGMA integrity_check} and returns its verdict ({@code ok} when healthy). */
  public String integrityCheck() throws StoreException {
    return inTransaction(
        c -> {
          try (Statement s = c.createStatement();
              var rs = s.executeQuery("PRAGMA integrity_check")) {
            return rs.next() ? rs.getString(1) : "no answer";
          }
        });
  }

  @Override
  public synchronized void close() throws StoreException {
    try {
      // The server has stopped before the store closes, so every reader is back in the pool.
      for (Connection r : readers) {
        r.close();
      }
      connection.close();
    } catch (SQLException e) {
      throw new StoreException("cannot close " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "SqliteStore[" + file + "]";
  }
}
