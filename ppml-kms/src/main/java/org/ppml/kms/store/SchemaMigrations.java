package org.ppml.kms.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Versioned schema migrations. Each entry moves the schema from version {@code i} to {@code i + 1};
 * entries are only ever appended, never edited, so a database written by any release can be brought
 * forward.
 */
final class SchemaMigrations {
  private static final List<String[]> SQLITE =
      List.<String[]>of(
          new String[] {
            "CREATE TABLE primary_keys (name TEXT PRIMARY KEY, primary_version INTEGER NOT NULL,"
                + " enabled INTEGER NOT NULL, created TEXT NOT NULL, policy TEXT)",
            "CREATE TABLE key_versions (name TEXT NOT NULL REFERENCES primary_keys(name),"
                + " version INTEGER NOT NULL, sealed BLOB NOT NULL, created TEXT NOT NULL,"
                + " PRIMARY KEY (name, version))",
            "CREATE TABLE resources (path TEXT PRIMARY KEY, sealed BLOB NOT NULL, policy TEXT,"
                + " updated TEXT NOT NULL)",
            "CREATE TABLE api_tokens (hash BLOB PRIMARY KEY, role TEXT NOT NULL, label TEXT NOT NULL,"
                + " created TEXT NOT NULL)",
            "CREATE TABLE nonces (nonce TEXT PRIMARY KEY, session TEXT NOT NULL, expires INTEGER NOT NULL)",
            "CREATE TABLE settings (name TEXT PRIMARY KEY, value BLOB NOT NULL)",
            "CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, peer TEXT,"
                + " event TEXT NOT NULL, decision TEXT NOT NULL, key_name TEXT, key_version INTEGER,"
                + " tee TEXT, mr_enclave TEXT, mr_signer TEXT, isv_prod_id INTEGER, isv_svn INTEGER,"
                + " debug INTEGER, tcb_status TEXT, simulated INTEGER NOT NULL, violations TEXT,"
                + " detail TEXT)",
            "CREATE INDEX audit_time ON audit(time)",
          },
          // Version 1 stored audit times as Instant.toString, whose fraction has 0, 3, 6 or 9
          // digits, so the text sorted by time only to the second. Rewrite them fixed-width
          // (AuditLog.TIME), which sorts exactly, so "since" is one range on the index.
          new String[] {
            "UPDATE audit SET time = substr(time, 1, 19) || '.'"
                + " || substr(replace(substr(time, 21), 'Z', '') || '000000000', 1, 9) || 'Z'"
                + " WHERE length(time) <> 30",
          },
          // KBS sessions live in the database, so a session that attested on one replica fetches
          // resources from another. The token is a bearer credential: sealed under the master key.
          new String[] {
            "CREATE TABLE kbs_sessions (session TEXT PRIMARY KEY, token BLOB NOT NULL,"
                + " expires INTEGER NOT NULL)",
          });

  // The same versions for PostgreSQL, which has no database written by an older broker: version 1
  // is the SQLite schema in PostgreSQL types, version 2 has nothing to rewrite (times were always
  // written fixed-width here), and version 3 adds the sessions.
  private static final List<String[]> POSTGRESQL =
      List.<String[]>of(
          new String[] {
            "CREATE TABLE primary_keys (name TEXT PRIMARY KEY, primary_version INTEGER NOT NULL,"
                + " enabled INTEGER NOT NULL, created TEXT NOT NULL, policy TEXT)",
            "CREATE TABLE key_versions (name TEXT NOT NULL REFERENCES primary_keys(name),"
                + " version INTEGER NOT NULL, sealed BYTEA NOT NULL, created TEXT NOT NULL,"
                + " PRIMARY KEY (name, version))",
            "CREATE TABLE resources (path TEXT PRIMARY KEY, sealed BYTEA NOT NULL, policy TEXT,"
                + " updated TEXT NOT NULL)",
            "CREATE TABLE api_tokens (hash BYTEA PRIMARY KEY, role TEXT NOT NULL,"
                + " label TEXT NOT NULL, created TEXT NOT NULL)",
            "CREATE TABLE nonces (nonce TEXT PRIMARY KEY, session TEXT NOT NULL, expires BIGINT NOT NULL)",
            "CREATE INDEX nonces_expires ON nonces(expires)",
            "CREATE TABLE settings (name TEXT PRIMARY KEY, value BYTEA NOT NULL)",
            "CREATE TABLE audit (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                + " time TEXT NOT NULL, peer TEXT, event TEXT NOT NULL, decision TEXT NOT NULL,"
                + " key_name TEXT, key_version INTEGER, tee TEXT, mr_enclave TEXT, mr_signer TEXT,"
                + " isv_prod_id INTEGER, isv_svn INTEGER, debug INTEGER, tcb_status TEXT,"
                + " simulated INTEGER NOT NULL, violations TEXT, detail TEXT)",
            "CREATE INDEX audit_time ON audit(time)",
          },
          new String[] {},
          new String[] {
            "CREATE TABLE kbs_sessions (session TEXT PRIMARY KEY, token BYTEA NOT NULL,"
                + " expires BIGINT NOT NULL)",
          });

  private SchemaMigrations() {}

  /** The schema version this code writes. */
  static int latest() {
    return SQLITE.size();
  }

  static Void migrate(Connection c, BrokerDatabase.Dialect dialect)
      throws SQLException, StoreException {
    return migrateTo(c, dialect, latest());
  }

  /**
   * Brings the schema to {@code target}; tests use an older target to make a database an older
   * broker wrote.
   */
  static Void migrateTo(Connection c, BrokerDatabase.Dialect dialect, int target)
      throws SQLException, StoreException {
    List<String[]> migrations = dialect == BrokerDatabase.Dialect.SQLITE ? SQLITE : POSTGRESQL;
    int version;
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
      try (ResultSet rs = s.executeQuery("SELECT max(version) FROM schema_version")) {
        version = rs.next() ? rs.getInt(1) : 0;
      }
    }
    if (version > latest()) {
      throw new StoreException(
          "database schema version "
              + version
              + " is newer than this broker ("
              + latest()
              + "); refusing to downgrade");
    }
    for (int v = version; v < target; v++) {
      try (Statement s = c.createStatement()) {
        for (String sql : migrations.get(v)) {
          s.execute(sql);
        }
        s.execute("INSERT INTO schema_version (version) VALUES (" + (v + 1) + ")");
      }
    }
    return null;
  }
}
