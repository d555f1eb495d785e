package org.ppml.kms.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ppml.kms.store.SqliteStore;
import org.ppml.kms.store.StoreException;

/**
 * The append-only audit table. Every auth, attest, release and denial lands here before the
 * response is sent, so a release that the log does not show did not happen.
 */
public final class AuditLog {
    /** The most records one query returns. */
    public static final int MAX_QUERY = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SqliteStore store;
    // Guards queue and committing; waiters sleep on it.
    private final Object monitor = new Object();
    private final List<Pending> queue = new ArrayList<>();
    private boolean committing;

    public AuditLog(SqliteStore store) {
        this.store = store;
    }

    /**
     * Appends {@code r} durably: when this returns the record is on disk.
     *
     * <p>Concurrent appends share one transaction and one fsync (group commit). A caller queues its
     * record; if no commit is running it becomes the leader, takes everything queued and commits it
     * outside the monitor, then wakes all waiters. Waiters whose record was in that batch return at
     * once, and the first one still waiting leads the next batch. An earlier version handed a fair
     * lock from caller to caller, so the next leader sat behind every finished follower and each
     * handoff cost a context switch: unwraps convoyed at a quarter of the broker's HTTPS rate.
     */
    public void append(AuditRecord r) throws StoreException {
        Pending mine = new Pending(r);
        List<Pending> batch;
        synchronized (monitor) {
            queue.add(mine);
            boolean interrupted = false;
            while (!mine.done && committing) {
                try {
                    monitor.wait();
                } catch (InterruptedException e) {
                    // The record is queued and will be committed; the caller must learn the outcome.
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (mine.done) {
                if (mine.error != null) {
                    throw mine.error;
                }
                return;
            }
            committing = true;
            batch = new ArrayList<>(queue);
            queue.clear();
        }
        StoreException failure = null;
        try {
            store.inTransaction(c -> {
                for (Pending p : batch) {
                    insert(c, p.record);
                }
                return null;
            });
        } catch (StoreException e) {
            failure = e;
        } catch (RuntimeException e) {
            failure = new StoreException("audit commit failed: " + e.getClass().getSimpleName(), e);
        } finally {
            synchronized (monitor) {
                for (Pending p : batch) {
                    p.error = failure;
                    p.done = true;
                }
                committing = false;
                monitor.notifyAll();
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static final class Pending {
        final AuditRecord record;
        boolean done;
        StoreException error;

        Pending(AuditRecord record) {
            this.record = record;
        }
    }

    private static void insert(java.sql.Connection c, AuditRecord r) throws SQLException, StoreException {
        String violations;
        try {
            violations = JSON.writeValueAsString(r.violations());
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot encode violations", e);
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO audit (time, peer, event, decision, key_name,"
                + " key_version, tee, mr_enclave, mr_signer, isv_prod_id, isv_svn, debug, tcb_status, simulated,"
                + " violations, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, r.time().toString());
            s.setString(2, r.peer());
            s.setString(3, r.event());
            s.setString(4, r.decision());
            s.setString(5, r.keyName());
            setInt(s, 6, r.keyVersion());
            s.setString(7, r.tee());
            s.setString(8, r.mrEnclave());
            s.setString(9, r.mrSigner());
            setInt(s, 10, r.isvProdId());
            setInt(s, 11, r.isvSvn());
            setInt(s, 12, r.debug() == null ? null : (r.debug() ? 1 : 0));
            s.setString(13, r.tcbStatus());
            s.setInt(14, r.simulated() ? 1 : 0);
            s.setString(15, violations);
            s.setString(16, r.detail());
            s.executeUpdate();
        }
    }

    /** Records at or after {@code since} (null: from the start), oldest first, at most {@code limit}. */
    public List<AuditRecord> query(Instant since, int limit) throws StoreException {
        int bounded = Math.max(1, Math.min(limit, MAX_QUERY));
        return store.read(c -> {
            List<AuditRecord> out = new ArrayList<>();
            // ISO-8601 instants from Instant.toString sort as text only at equal precision, so the
            // filter compares parsed instants rather than strings.
            try (PreparedStatement s = c.prepareStatement("SELECT id, time, peer, event, decision, key_name,"
                    + " key_version, tee, mr_enclave, mr_signer, isv_prod_id, isv_svn, debug, tcb_status, simulated,"
                    + " violations, detail FROM audit ORDER BY id")) {
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next() && out.size() < bounded) {
                        AuditRecord r = read(rs);
                        if (since == null || !r.time().isBefore(since)) {
                            out.add(r);
                        }
                    }
                }
            }
            return out;
        });
    }

    private static AuditRecord read(ResultSet rs) throws SQLException {
        List<String> violations;
        try {
            violations = Arrays.asList(JSON.readValue(rs.getString(16), String[].class));
        } catch (JsonProcessingException e) {
            violations = List.of("(unreadable)");
        }
        Integer debug = getInt(rs, 13);
        return new AuditRecord(rs.getLong(1), Instant.parse(rs.getString(2)), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), getInt(rs, 7), rs.getString(8), rs.getString(9), rs.getString(10),
                getInt(rs, 11), getInt(rs, 12), debug == null ? null : debug != 0, rs.getString(14), rs.getInt(15) != 0,
                violations, rs.getString(17));
    }

    private static void setInt(PreparedStatement s, int i, Integer v) throws SQLException {
        if (v == null) {
            s.setNull(i, Types.INTEGER);
        } else {
            s.setInt(i, v);
        }
    }

    private static Integer getInt(ResultSet rs, int i) throws SQLException {
        int v = rs.getInt(i);
        return rs.wasNull() ? null : v;
    }
}
