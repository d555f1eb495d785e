package org.ppml.kms.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.ppml.kms.store.PostgresLocation;
import org.ppml.kms.store.SqliteStore;

/**
 * What a broker's database holds, read straight from it with JDBC (not through the broker): the
 * keys and whether each has a policy, the resource paths, and the audit records as (event, name)
 * pairs. Crash tests compare it with what was acknowledged and what was audited.
 *
 * @param keys key name to "has a policy"
 * @param resources resource paths
 * @param audited "event name" strings of allow records, with their counts
 */
public record StoreContents(
    Map<String, Boolean> keys, Set<String> resources, Map<String, Integer> audited) {

  /** Reads the SQLite database in {@code dataDir}, or {@code db} when it is not null. */
  public static StoreContents read(Path dataDir, PostgresLocation db) throws SQLException {
    try (Connection c =
            db == null
                ? DriverManager.getConnection(
                    "jdbc:sqlite:" + dataDir.resolve(SqliteStore.FILE_NAME).toAbsolutePath())
                : DriverManager.getConnection(
                    db.jdbcUrl(),
                    db.user(),
                    db.password() == null ? null : new String(db.password()));
        Statement s = c.createStatement()) {
      Map<String, Boolean> keys = new HashMap<>();
      try (ResultSet rs = s.executeQuery("SELECT name, policy FROM primary_keys")) {
        while (rs.next()) {
          keys.put(rs.getString(1), rs.getString(2) != null);
        }
      }
      Set<String> resources = new HashSet<>();
      try (ResultSet rs = s.executeQuery("SELECT path FROM resources")) {
        while (rs.next()) {
          resources.add(rs.getString(1));
        }
      }
      Map<String, Integer> audited = new HashMap<>();
      try (ResultSet rs =
          s.executeQuery("SELECT event, key_name FROM audit WHERE decision = 'allow'")) {
        while (rs.next()) {
          audited.merge(rs.getString(1) + " " + rs.getString(2), 1, Integer::sum);
        }
      }
      return new StoreContents(keys, resources, audited);
    }
  }

  /** Whether an allow record of {@code event} names {@code name}. */
  public boolean audits(String event, String name) {
    return audited.containsKey(event + " " + name);
  }
}
