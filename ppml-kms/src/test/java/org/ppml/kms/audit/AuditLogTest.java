package org.ppml.kms.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.kms.store.SqliteStore;
import org.ppml.kms.store.StoreException;

/**
 * Group commit on a real SQLite file: every acknowledged append is there, and failures reach every
 * caller.
 */
class AuditLogTest {
  @Test
  void concurrentAppendsAllLandOnce(@TempDir Path dir) throws Exception {
    try (SqliteStore store = SqliteStore.open(dir)) {
      AuditLog log = new AuditLog(store);
      int threads = 16;
      int each = 40;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < each; i++) {
                    log.append(
                        AuditRecord.of(
                            "peer",
                            "unwrap",
                            AuditRecord.ALLOW,
                            "k",
                            1,
                            false,
                            List.of(),
                            thread + "/" + i));
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();
      List<AuditRecord> all = log.page(null, 0, AuditLog.MAX_PAGE).records();
      Set<String> details = new HashSet<>();
      all.forEach(r -> details.add(r.detail()));
      assertEquals(threads * each, all.size());
      assertEquals(threads * each, details.size(), "no record written twice");
    }
  }

  @Test
  void aFailedCommitReachesEveryWaitingCaller(@TempDir Path dir) throws Exception {
    SqliteStore store = SqliteStore.open(dir);
    AuditLog log = new AuditLog(store);
    log.append(
        AuditRecord.of("peer", "auth", AuditRecord.ALLOW, null, null, false, List.of(), "before"));
    store.close();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      calls.add(
          pool.submit(
              () -> {
                log.append(
                    AuditRecord.of(
                        "peer", "auth", AuditRecord.ALLOW, null, null, false, List.of(), "after"));
                return null;
              }));
    }
    for (Future<?> f : calls) {
      // Each caller learns of the failure; none hangs waiting for a commit that never comes.
      var e =
          assertThrows(
              java.util.concurrent.ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
      assertEquals(StoreException.class, e.getCause().getClass());
    }
    pool.shutdown();
  }

  @Test
  void sinceComparesInstantsNotTheirTextAndPagesFollowIds(@TempDir Path dir) throws Exception {
    try (SqliteStore store = SqliteStore.open(dir)) {
      AuditLog log = new AuditLog(store);
      Instant second = Instant.parse("2024-05-01T10:00:07Z");
      // As Instant.toString these would sort as text "...06.900Z", "...07.000001Z", "...07.500Z",
      // "...07Z", "...08Z": the whole second 07 after its own fractions.
      List<Instant> times =
          List.of(
              second.minusMillis(100),
              second,
              second.plusNanos(1000),
              second.plusMillis(500),
              second.plusSeconds(1));
      for (Instant t : times) {
        log.append(
            new AuditRecord(
                0,
                t,
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
                t.toString()));
      }
      assertEquals(details(times.subList(1, 5)), details(log.page(second, 0, 10)));
      assertEquals(details(times.subList(2, 5)), details(log.page(second.plusNanos(1), 0, 10)));
      assertEquals(details(times.subList(3, 5)), details(log.page(second.plusNanos(1001), 0, 10)));
      assertEquals(details(times.subList(4, 5)), details(log.page(second.plusMillis(501), 0, 10)));
      assertEquals(details(times), details(log.page(Instant.MIN, 0, 10)));
      assertEquals(List.of(), details(log.page(Instant.MAX, 0, 10)));

      AuditPage first = log.page(null, 0, 2);
      assertEquals(details(times.subList(0, 2)), details(first));
      assertEquals(first.records().get(1).id(), first.next());
      AuditPage middle = log.page(null, first.next(), 2);
      assertEquals(details(times.subList(2, 4)), details(middle));
      AuditPage last = log.page(null, middle.next(), 2);
      assertEquals(details(times.subList(4, 5)), details(last));
      assertNull(last.next(), "no page after the last record");
      AuditPage sinceAfter = log.page(second, first.records().get(0).id(), 1);
      assertEquals(details(times.subList(1, 2)), details(sinceAfter), "since and after both apply");
    }
  }

  private static List<String> details(List<Instant> times) {
    return times.stream().map(Instant::toString).toList();
  }

  private static List<String> details(AuditPage page) {
    return page.records().stream().map(AuditRecord::detail).toList();
  }
}
