package org.ppml.kms.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/**
 * The broker's SQLite database: one connection in WAL mode with {@code synchronous=FULL}, so a
 * change is on disk before the request that made it is acknowledged.
 *
 * <p>Writes go through {@link #inTransaction}, which serialises writers on one connection: a
 * single writer keeps SQLite free of {@code SQLITE_BUSY}. Reads go through {@link #read} on a second
 * connection, so a release never waits for another request's fsync; WAL gives it a consistent
 * snapshot of the last commit.
 */
public final class SqliteStore implements AutoCloseable {
    /** The database file name inside the data directory. */
    public static final String FILE_NAME = "broker.db";

    private final Path file;
    private final Connection connection;
    private final Connection reader;
    private final Object readLock = new Object();

    /** Work done inside one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException, StoreException;
    }

    private SqliteStore(Path file, Connection connection, Connection reader) {
        this.file = file;
        this.connection = connection;
        this.reader = reader;
    }

    /** Opens (creating if needed) {@code dataDir/broker.db} and migrates its schema to the newest version. */
    public static SqliteStore open(Path dataDir) throws StoreException {
        Path file = dataDir.resolve(FILE_NAME).toAbsolutePath();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new StoreException("cannot create data directory " + dataDir + ": " + e.getMessage(), e);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(10_000);
        try {
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
            c.setAutoCommit(false);
            new SqliteStore(file, c, null).inTransaction(SchemaMigrations::migrate);
            SQLiteConfig readOnly = new SQLiteConfig();
            readOnly.setReadOnly(true);
            readOnly.setBusyTimeout(10_000);
            Connection r = DriverManager.getConnection("jdbc:sqlite:" + file, readOnly.toProperties());
            r.setAutoCommit(false);
            return new SqliteStore(file, c, r);
        } catch (SQLException e) {
            throw new StoreException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
    public synchronized <T> T inTransaction(Work<T> work) throws StoreException {
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
        }
    }

    /** Runs read-only {@code work} against the last committed state. */
    public <T> T read(Work<T> work) throws StoreException {
        synchronized (readLock) {
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
            }
        }
    }

    /** Runs {@code PRAGMA integrity_check} and returns its verdict ({@code ok} when healthy). */
    public String integrityCheck() throws StoreException {
        return inTransaction(c -> {
            try (Statement s = c.createStatement(); var rs = s.executeQuery("PRAGMA integrity_check")) {
                return rs.next() ? rs.getString(1) : "no answer";
            }
        });
    }

    @Override
    public synchronized void close() throws StoreException {
        try {
            if (reader != null) {
                synchronized (readLock) {
                    reader.close();
                }
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
