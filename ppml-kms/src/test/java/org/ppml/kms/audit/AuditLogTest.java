package org.ppml.kms.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
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

/** Group commit on a real SQLite file: every acknowledged append is there, and failures reach every caller. */
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
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        log.append(AuditRecord.of("peer", "unwrap", AuditRecord.ALLOW, "k", 1, false, List.of(),
                                thread + "/" + i));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            List<AuditRecord> all = log.query(null, AuditLog.MAX_QUERY);
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
        log.append(AuditRecord.of("peer", "auth", AuditRecord.ALLOW, null, null, false, List.of(), "before"));
        store.close();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(pool.submit(() -> {
                log.append(AuditRecord.of("peer", "auth", AuditRecord.ALLOW, null, null, false, List.of(), "after"));
                return null;
            }));
        }
        for (Future<?> f : calls) {
            // Each caller learns of the failure; none hangs waiting for a commit that never comes.
            var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
            assertEquals(StoreException.class, e.getCause().getClass());
        }
        pool.shutdown();
    }
}
