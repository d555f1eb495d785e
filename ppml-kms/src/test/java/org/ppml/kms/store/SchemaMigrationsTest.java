package org.ppml.kms.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.kms.audit.AuditLog;
import org.ppml.kms.audit.AuditRecord;

/** A database an older broker wrote is brought forward on open, and keeps its meaning. */
class SchemaMigrationsTest {
  @Test
  void versionOneAuditTimesBecomeFixedWidthAndSinceStaysExact(@TempDir Path dir) throws Exception {
    Instant second = Instant.parse("2024-05-01T10:00:07Z");
    // Version 1 stored Instant.toString: 0, 3, 6 or 9 fraction digits.
    List<Instant> times =
        List.of(
            second.minusMillis(100),
            second,
            second.plusNanos(1000),
            second.plusMillis(500),
            second.plusNanos(123_456_789),
            second.plusSeconds(1));
    try (Connection c =
        DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStore.FILE_NAME))) {
      c.setAutoCommit(false);
      SchemaMigrations.migrateTo(c, BrokerDatabase.Dialect.SQLITE, 1);
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO audit (time, event, decision, simulated, violations, detail) VALUES (?, 'auth', 'allow', 0, '[]', ?)")) {
        for (Instant t : times) {
          s.setString(1, t.toString());
          s.setString(2, t.toString());
          s.executeUpdate();
        }
      }
      c.commit();
    }

    try (SqliteStore store = SqliteStore.open(dir)) {
      List<String> stored = new ArrayList<>();
      int version =
          store.read(
              c -> {
                try (Statement s = c.createStatement()) {
                  try (ResultSet rs = s.executeQuery("SELECT time FROM audit ORDER BY id")) {
                    while (rs.next()) {
                      stored.add(rs.getString(1));
                    }
                  }
                  try (ResultSet rs = s.executeQuery("SELECT max(version) FROM schema_version")) {
                    return rs.next() ? rs.getInt(1) : 0;
                  }
                }
              });
      assertEquals(SchemaMigrations.latest(), version);
      assertEquals(
          List.of(
              "2024-05-01T10:00:06.900000000Z",
              "2024-05-01T10:00:07.000000000Z",
              "2024-05-01T10:00:07.000001000Z",
              "2024-05-01T10:00:07.500000000Z",
              "2024-05-01T10:00:07.123456789Z",
              "2024-05-01T10:00:08.000000000Z"),
          stored);

      AuditLog log = new AuditLog(store);
      assertEquals(times.stream().map(Instant::toString).toList(), details(log, null));
      assertEquals(
          List.of(times.get(3).toString(), times.get(5).toString()),
          details(log, second.plusNanos(123_456_790)));
      // A record appended after the migration compares with the migrated ones by time (pages
      // still come in id order).
      Instant fresh = second.plusMillis(200);
      log.append(
          new AuditRecord(
              0,
              fresh,
              "peer",
              "auth",
              AuditRecord.ALLOW,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              false,
              List.of(),
              fresh.toString()));
      assertEquals(
          List.of(times.get(3).toString(), times.get(5).toString(), fresh.toString()),
          details(log, second.plusMillis(124)));
    }
  }

  private static List<String> details(AuditLog log, Instant since) throws StoreException {
    return log.page(since, 0, AuditLog.MAX_PAGE).records().stream()
        .map(AuditRecord::detail)
        .toList();
  }
}
