package org.ppml.kms.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.ppml.crypto.json.StrictJsonMapper;
import org.ppml.kms.store.BrokerDatabase;
import org.ppml.kms.store.CommitRecord;
import org.ppml.kms.store.StoreException;

/**
 * The append-only audit table. Every auth, attest, release and denial lands here before the
 * response is sent, so a release that the log does not show did not happen. A change to the
 * broker's state (a key, policy, resource or token) writes its record in its own transaction
 * through {@link #recording}, so no crash leaves the change without its record.
 *
 * <p>Every transaction that inserts records takes the database's audit lock first, so ids become
 * visible in the order they were taken, also across replicas of one PostgreSQL database: a reader
 * paging by id never skips a record that commits later with a lower id.
 */
public final class AuditLog {
  /**
   * The most records one page holds, and the default page size. A record is about half a KiB of
   * JSON, so a full page stays far below what a client will read in one answer.
   */
  public static final int MAX_PAGE = 1000;

  /**
   * How times are stored: UTC with all nine fraction digits, so their text sorts as the instants do
   * and a "since" bound is one range on the audit_time index. Instant.toString drops trailing zero
   * groups ("...:07Z", "...:07.500Z"), which sorts by time only down to the second.
   */
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  // The fixed-width form has four-digit years; every stored time comes from the clock and is
  // inside, so a bound outside selects everything or nothing.
  private static final Instant FIRST_FOUR_DIGIT_YEAR = Instant.parse("0000-01-01T00:00:00Z");
  private static final Instant LAST_FOUR_DIGIT_YEAR =
      Instant.parse("9999-12-31T23:59:59.999999999Z");
  private static final ObjectMapper JSON = StrictJsonMapper.create();

  private final BrokerDatabase store;
  // Guards queue and committing; waiters sleep on it.
  private final Object monitor = new Object();
  private final List<Pending> queue = new ArrayList<>();
  private boolean committing;
  private final LongConsumer commitNanos;

  public AuditLog(BrokerDatabase store) {
    this(store, nanos -> {});
  }

  /**
   * @param commitNanos told how long each durable group commit took (for the broker's metrics)
   */
  public AuditLog(BrokerDatabase store, LongConsumer commitNanos) {
    this.store = store;
    this.commitNanos = commitNanos;
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
    long started = System.nanoTime();
    try {
      store.inTransaction(
          c -> {
            store.lock(c, BrokerDatabase.TransactionLock.AUDIT);
            for (Pending p : batch) {
              insert(c, p.record);
            }
            return null;
          });
      commitNanos.accept(System.nanoTime() - started);
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

  /**
   * The record of a state change, written in the change's own transaction: the change and its
   * record commit together or not at all. {@code of} builds the record from what the change
   * produced (a rotation's new version, say).
   */
  public <R> CommitRecord<R> recording(Function<R, AuditRecord> of) {
    return (c, result) -> {
      store.lock(c, BrokerDatabase.TransactionLock.AUDIT);
      insert(c, of.apply(result));
    };
  }

  private static final class Pending {
    final AuditRecord record;
    boolean done;
    StoreException error;

    Pending(AuditRecord record) {
      this.record = record;
    }
  }

  private static void insert(java.sql.Connection c, AuditRecord r)
      throws SQLException, StoreException {
    String violations;
    try {
      violations = JSON.writeValueAsString(r.violations());
    } catch (JsonProcessingException e) {
      throw new StoreException("cannot encode violations", e);
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO audit (time, peer, event, decision, key_name,"
                + " key_version, tee, mr_enclave, mr_signer, isv_prod_id, isv_svn, debug, tcb_status, simulated,"
                + " violations, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, TIME.format(r.time()));
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

  /**
   * Records at or after {@code since} (null: from the start) whose id is above {@code after},
   * lowest id first, at most {@code limit} (capped at {@link #MAX_PAGE}). Pages are cut by id, not
   * by time: ids are unique and only grow, while many records share a time, so following {@code
   * next} returns every record once.
   */
  public AuditPage page(Instant since, long after, int limit) throws StoreException {
    int bounded = Math.max(1, Math.min(limit, MAX_PAGE));
    if (since != null && since.isAfter(LAST_FOUR_DIGIT_YEAR)) {
      return new AuditPage(List.of(), null);
    }
    Instant from = since == null || since.isBefore(FIRST_FOUR_DIGIT_YEAR) ? null : since;
    // SQLite takes planner hints (INDEXED BY, unary +); PostgreSQL has its own planner and no such
    // syntax, and picks the id order for a LIMIT on the primary key by itself.
    boolean sqlite = store.dialect() == BrokerDatabase.Dialect.SQLITE;
    return store.read(
        c -> {
          String bound = from == null ? null : TIME.format(from);
          long above = Math.max(0, after);
          if (bound != null && above == 0) {
            // The first page starts at the lowest id in range, found on the audit_time index,
            // rather than by reading every older record; later pages start at their cursor.
            try (PreparedStatement s =
                c.prepareStatement(
                    sqlite
                        ? "SELECT min(id) FROM audit INDEXED BY audit_time WHERE time >= ?"
                        : "SELECT min(id) FROM audit WHERE time >= ?")) {
              s.setString(1, bound);
              try (ResultSet rs = s.executeQuery()) {
                rs.next();
                long first = rs.getLong(1);
                if (rs.wasNull()) {
                  // The min of no rows: no record is that recent.
                  return new AuditPage(List.of(), null);
                }
                above = first - 1;
              }
            }
          }
          // Ids only grow but times need not follow them (records are stamped before they queue
          // for a commit), so every page filters on time too. "+time" keeps the planner on the id
          // order (no sort per page) instead of the time index.
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT id, time, peer, event, decision, key_name,"
                      + " key_version, tee, mr_enclave, mr_signer, isv_prod_id, isv_svn, debug, tcb_status, simulated,"
                      + " violations, detail FROM audit WHERE id > ?"
                      + (bound == null ? "" : sqlite ? " AND +time >= ?" : " AND time >= ?")
                      + " ORDER BY id LIMIT ?")) {
            int i = 1;
            s.setLong(i++, above);
            if (bound != null) {
              s.setString(i++, bound);
            }
            // One more than the page: its presence is what says a next page exists.
            s.setInt(i, bounded + 1);
            List<AuditRecord> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                out.add(read(rs));
              }
            }
            if (out.size() <= bounded) {
              return new AuditPage(out, null);
            }
            out.remove(bounded);
            return new AuditPage(out, out.get(bounded - 1).id());
          }
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
    return new AuditRecord(
        rs.getLong(1),
        Instant.parse(rs.getString(2)),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        getInt(rs, 7),
        rs.getString(8),
        rs.getString(9),
        rs.getString(10),
        getInt(rs, 11),
        getInt(rs, 12),
        debug == null ? null : debug != 0,
        rs.getString(14),
        rs.getInt(15) != 0,
        violations,
        rs.getString(17));
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
