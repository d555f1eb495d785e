package org.ppml.attestation.dcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ppml.attestation.TestVectors;
import org.ppml.attestation.collateral.CollateralBundle;
import org.ppml.attestation.collateral.CollateralFormatException;
import org.ppml.attestation.report.QuoteVerificationReport;

/**
 * Issue 13 §1: collateral without {@code root_ca_crl}, {@code pck_crl} and {@code
 * pck_crl_issuer_chain}, as systems that check revocation elsewhere archive it. With CRL mode off
 * the verdict is the one the same bundle with CRLs gets, and says revocation was not checked; with
 * strict or lenient it is unusable input naming the missing fields and the mode.
 */
class CrlLessCollateralTest {
  private static final TestVectors[] VECTORS = {
    TestVectors.SGX_V3, TestVectors.TDX_V4, TestVectors.TDX_V5_OUTDATED
  };

  private static CollateralBundle withCrls(TestVectors v) throws Exception {
    return CollateralBundle.parse(v.collateralBytes());
  }

  /** The vector's bundle with the revocation fields in {@code mask} (bit i: field i) removed. */
  private static CollateralBundle without(TestVectors v, int mask) throws Exception {
    ObjectNode o = withCrls(v).toJson();
    for (int i = 0; i < 3; i++) {
      if ((mask & 1 << i) != 0) {
        o.remove(CollateralBundle.REVOCATION_FIELDS.get(i));
      }
    }
    return CollateralBundle.parse(o.toString());
  }

  @Test
  void withCrlModeOffTheVerdictIsTheOneTheBundleWithCrlsGets() throws Exception {
    QuoteVerifier off = new QuoteVerifier(PinnedRoot.intel(), CrlMode.OFF);
    for (TestVectors v : VECTORS) {
      VerificationResult strict = QuoteVerifier.intel().evaluate(v.quoteBytes(), withCrls(v), v.at);
      VerificationResult offWith = off.evaluate(v.quoteBytes(), withCrls(v), v.at);
      VerificationResult offWithout = off.evaluate(v.quoteBytes(), without(v, 7), v.at);
      QuoteVerificationReport reportWith = new QuoteVerificationReport(offWith, null);
      QuoteVerificationReport reportWithout = new QuoteVerificationReport(offWithout, null);
      // The whole report is the same, down to the CRL note; and the verdict is strict's.
      assertEquals(reportWith.toJson(), reportWithout.toJson(), v.name());
      assertEquals(strict.verified(), offWithout.verified(), v.name());
      assertEquals(strict.tcbStatus(), offWithout.tcbStatus(), v.name());
      assertEquals(strict.advisoryIds(), offWithout.advisoryIds(), v.name());
      assertEquals(
          strict.error() == null ? null : strict.error().code(),
          offWithout.error() == null ? null : offWithout.error().code(),
          v.name());
      assertTrue(
          offWithout.crlNotes().stream().anyMatch(n -> n.contains("revocation was not checked")),
          offWithout.crlNotes().toString());
      assertEquals(new QuoteVerificationReport(strict, null).exitCode(), reportWithout.exitCode());
    }
    // The outdated TDX platform stays a negative verdict: exit 1, not a parse error.
    VerificationResult outdated =
        off.evaluate(
            TestVectors.TDX_V5_OUTDATED.quoteBytes(),
            without(TestVectors.TDX_V5_OUTDATED, 7),
            TestVectors.TDX_V5_OUTDATED.at);
    assertFalse(outdated.verified());
    assertEquals("TCB_LEVEL", outdated.error().code());
    assertEquals(1, new QuoteVerificationReport(outdated, null).exitCode());
    VerificationResult sgx =
        off.evaluate(
            TestVectors.SGX_V3.quoteBytes(), without(TestVectors.SGX_V3, 7), TestVectors.SGX_V3.at);
    assertTrue(sgx.verified());
    assertNull(sgx.error());
  }

  @Test
  void strictAndLenientNameEveryMissingFieldAndTheirMode() throws Exception {
    for (CrlMode mode : new CrlMode[] {CrlMode.STRICT, CrlMode.LENIENT}) {
      QuoteVerifier verifier = new QuoteVerifier(PinnedRoot.intel(), mode);
      for (TestVectors v : VECTORS) {
        for (int mask = 1; mask < 8; mask++) {
          CollateralBundle bundle = without(v, mask);
          List<String> missing = new ArrayList<>();
          for (int i = 0; i < 3; i++) {
            if ((mask & 1 << i) != 0) {
              missing.add(CollateralBundle.REVOCATION_FIELDS.get(i));
            }
          }
          String what = mode + " " + v + " without " + missing;
          VerificationResult r = verifier.evaluate(v.quoteBytes(), bundle, v.at);
          assertFalse(r.verified(), what);
          assertEquals("COLLATERAL_FORMAT", r.error().code(), what);
          String message = r.error().getMessage();
          assertTrue(
              message.contains("bundle has no " + String.join(", ", missing) + ", which"),
              what + ": " + message);
          assertTrue(message.contains("CRL mode " + mode.cliName()), message);
          assertEquals(2, new QuoteVerificationReport(r, null).exitCode(), what);
          assertThrows(
              CollateralFormatException.class,
              () -> verifier.verify(v.quoteBytes(), bundle, v.at),
              what);
          assertThrows(
              CollateralFormatException.class, () -> mode.requireRevocationData(bundle), what);
        }
      }
    }
    CrlMode.OFF.requireRevocationData(without(TestVectors.SGX_V3, 7));
    CrlMode.STRICT.requireRevocationData(withCrls(TestVectors.SGX_V3));
  }
}
