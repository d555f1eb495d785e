package org.ppml.kms.health;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.cert.X509CRLHolder;
import org.ppml.attestation.collateral.CollateralBundle;
import org.ppml.attestation.dcap.CrlMode;

/**
 * Whether held collateral can still verify a quote now, as the verifier would judge it: TCB Info
 * and QE Identity inside their validity windows always, and in {@link CrlMode#STRICT} both CRLs
 * present and before their nextUpdate. {@link CrlMode#LENIENT} accepts stale CRLs and {@link
 * CrlMode#OFF} ignores them, so neither asks for fresh ones here.
 */
final class CollateralFreshness {
  private CollateralFreshness() {}

  /** What is stale or missing in {@code bundles} at {@code now}; empty when all are usable. */
  static List<String> problems(List<CollateralBundle> bundles, CrlMode mode, Instant now) {
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < bundles.size(); i++) {
      CollateralBundle b = bundles.get(i);
      String which = "bundle " + i + " (" + b.tcbInfo().id() + ")";
      window(problems, which + " TCB Info", b.tcbInfo().issueDate(), b.tcbInfo().nextUpdate(), now);
      window(
          problems,
          which + " QE Identity",
          b.qeIdentity().issueDate(),
          b.qeIdentity().nextUpdate(),
          now);
      if (mode == CrlMode.STRICT) {
        crl(problems, which + " root CA CRL", b.rootCaCrl(), now);
        crl(problems, which + " PCK CRL", b.pckCrl(), now);
      }
    }
    return problems;
  }

  private static void window(
      List<String> problems, String what, Instant issued, Instant next, Instant now) {
    if (now.isBefore(issued)) {
      problems.add(what + " is not valid before " + issued);
    } else if (now.isAfter(next)) {
      problems.add(what + " expired at " + next);
    }
  }

  private static void crl(List<String> problems, String what, byte[] der, Instant now) {
    if (der == null) {
      problems.add(what + " is missing (CRL mode strict)");
      return;
    }
    try {
      Date next = new X509CRLHolder(der).getNextUpdate();
      if (next != null && now.isAfter(next.toInstant())) {
        problems.add(what + " expired at " + next.toInstant() + " (CRL mode strict)");
      }
    } catch (IOException e) {
      problems.add(what + " is unreadable");
    }
  }
}
