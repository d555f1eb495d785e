package org.ppml.kms.testing;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.ppml.kms.audit.AuditLog;
import org.ppml.kms.audit.AuditRecord;
import org.ppml.kms.store.BrokerDatabase;

/**
 * Fills a broker's audit log quickly, for tests of logs longer than one answer. Records are
 * appended to the broker's own database file through a second store, from many threads at once, so
 * they share commits as on a busy broker (one thread would pay one fsync per record), and ids need
 * not follow time order.
 */
public final class AuditLogFill {
  private AuditLogFill() {}

  /** Appends {@code count} records, record {@code i} built by {@code recordAt}. */
  public static void append(Path dataDir, int count, int threads, IntFunction<AuditRecord> recordAt)
      throws Exception {
    try (BrokerDatabase store = TestBackend.open(dataDir)) {
      AuditLog log = new AuditLog(store);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int first = t;
          done.add(
              pool.submit(
                  () -> {
                    for (int i = first; i < count; i += threads) {
                      log.append(recordAt.apply(i));
                    }
                    return null;
                  }));
        }
        for (Future<?> f : done) {
          f.get(5, TimeUnit.MINUTES);
        }
      } finally {
        pool.shutdown();
      }
    }
  }

  /** An allowed unwrap of key {@code sales} at {@code time}, told apart by {@code detail}. */
  public static AuditRecord unwrapAt(Instant time, String detail, List<String> violations) {
    return new AuditRecord(
        0,
        time,
        "127.0.0.1",
        "unwrap",
        AuditRecord.ALLOW,
        "sales",
        1,
        "SGX",
        "aa".repeat(32),
        "bb".repeat(32),
        0,
        1,
        false,
        "UpToDate",
        true,
        violations,
        detail);
  }
}
