package org.ppml.kms.health;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.ppml.attestation.dcap.CrlMode;
import org.ppml.kms.attest.CollateralSource;
import org.ppml.kms.store.MasterKey;

/**
 * The {@code /readyz} verdict, as named checks: the database answers a read, the master key is
 * loaded, and the collateral the broker holds is fresh enough for its CRL mode. A failed check is
 * named in the answer and explained only in the broker's log, since the probe is unauthenticated.
 *
 * <p>Collateral fetched from a PCCS is refreshed on demand by its cache, so only collateral the
 * broker holds itself (a bundle file, a bundle directory, the dev home) is judged here.
 */
public final class Readiness {
  private static final System.Logger LOG = System.getLogger(Readiness.class.getName());

  /** Reads something from the database, or throws. */
  @FunctionalInterface
  public interface DatabaseProbe {
    void check() throws Exception;
  }

  /**
   * The verdict.
   *
   * @param failed the checks that failed: {@code database}, {@code master-key}, {@code collateral}
   */
  public record Verdict(List<String> failed) {
    public Verdict {
      failed = List.copyOf(failed);
    }

    public boolean ready() {
      return failed.isEmpty();
    }
  }

  private final DatabaseProbe database;
  private final MasterKey masterKey;
  private final CollateralSource collateral;
  private final CrlMode crlMode;
  private final Clock clock;
  private volatile List<String> lastProblems = List.of();

  public Readiness(
      DatabaseProbe database,
      MasterKey masterKey,
      CollateralSource collateral,
      CrlMode crlMode,
      Clock clock) {
    this.database = Objects.requireNonNull(database);
    this.masterKey = Objects.requireNonNull(masterKey);
    this.collateral = Objects.requireNonNull(collateral);
    this.crlMode = Objects.requireNonNull(crlMode);
    this.clock = Objects.requireNonNull(clock);
  }

  /** Runs every check. */
  public Verdict check() {
    List<String> failed = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    try {
      database.check();
    } catch (Exception e) {
      failed.add("database");
      problems.add("database: " + e.getMessage());
    }
    if (masterKey.isDestroyed()) {
      failed.add("master-key");
      problems.add("master key: not loaded");
    }
    List<String> stale =
        CollateralFreshness.problems(collateral.heldBundles(), crlMode, clock.instant());
    if (!stale.isEmpty()) {
      failed.add("collateral");
      stale.forEach(p -> problems.add("collateral: " + p));
    }
    report(problems);
    return new Verdict(failed);
  }

  // Probes come every few seconds: the log says what changed, not the same problem each time.
  private void report(List<String> problems) {
    if (problems.equals(lastProblems)) {
      return;
    }
    lastProblems = List.copyOf(problems);
    if (problems.isEmpty()) {
      LOG.log(Level.INFO, "ready");
    } else {
      LOG.log(Level.WARNING, "not ready: " + String.join("; ", problems));
    }
  }
}
