package org.ppml.attestation.simulated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ppml.attestation.collateral.TcbStatus;
import org.ppml.attestation.dcap.CrlMode;
import org.ppml.attestation.dcap.QuoteVerifier;
import org.ppml.attestation.dcap.VerificationException;
import org.ppml.attestation.dcap.VerificationResult;
import org.ppml.attestation.dcap.VerificationStep;

/**
 * Well-signed dev collateral with one value changed, through the real verifier: each change must
 * fail at the step that checks it, and a change outside a mask must not.
 */
class DevCollateralChecksTest {
  private static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");
  private static final Instant FRESH_UNTIL = NOW.plus(Duration.ofDays(30));

  @TempDir static Path tmp;
  static DevHome home;
  static byte[] quote;

  @BeforeAll
  static void init() throws Exception {
    home = DevHome.init(tmp.resolve("dev"), NOW);
    quote = home.provider(new byte[32]).evidence(new byte[64]).quote();
  }

  private static SimulatedCollateral collateral() {
    return SimulatedCollateral.of(home.pki(), NOW, FRESH_UNTIL);
  }

  private static VerificationResult verify(SimulatedCollateral c, CrlMode mode, Instant at)
      throws Exception {
    return new QuoteVerifier(home.pinnedRoot(), mode).evaluate(quote, c.build(), at);
  }

  private static VerificationException failure(SimulatedCollateral c) throws Exception {
    VerificationResult r = verify(c, CrlMode.STRICT, NOW);
    assertFalse(r.verified(), "must not verify");
    return (VerificationException) r.error();
  }

  private static void assertQeIdentityFails(SimulatedCollateral c, String field) throws Exception {
    VerificationException e = failure(c);
    assertEquals(VerificationStep.QE_IDENTITY, e.step(), e.getMessage());
    assertTrue(e.getMessage().contains(field), e.getMessage());
  }

  @Test
  void unchangedCollateralVerifies() throws Exception {
    assertTrue(verify(collateral(), CrlMode.STRICT, NOW).verified());
  }

  @Test
  void qeIsvProdIdMismatchFails() throws Exception {
    assertQeIdentityFails(collateral().qeIsvProdId(DevPlatform.QE_ISV_PROD_ID + 1), "ISVPRODID");
  }

  @Test
  void qeMiscSelectIsComparedUnderItsMask() throws Exception {
    // The simulated QE reports MISCSELECT 0: bit 0 asked for under a full mask is a mismatch...
    assertQeIdentityFails(collateral().qeMiscSelect("00000001", "FFFFFFFF"), "MISCSELECT");
    // ...a high bit too (MISCSELECT is little-endian in the report, big-endian hex in the JSON)...
    assertQeIdentityFails(collateral().qeMiscSelect("80000000", "FFFFFFFF"), "MISCSELECT");
    // ...and the same bit outside the mask is ignored.
    assertTrue(
        verify(collateral().qeMiscSelect("00000001", "FFFFFFFE"), CrlMode.STRICT, NOW).verified());
  }

  @Test
  void qeAttributesAreComparedUnderTheirMask() throws Exception {
    // The simulated QE reports FLAGS 0x11 (INIT | PROVISIONKEY) and XFRM 0x03.
    String mask = "FBFFFFFFFFFFFFFF0000000000000000";
    // DEBUG (0x02) is inside the mask: a QE Identity asking for it does not match.
    assertQeIdentityFails(
        collateral().qeAttributes("13000000000000000000000000000000", mask), "ATTRIBUTES");
    // Without PROVISIONKEY (0x10) it does not match either.
    assertQeIdentityFails(
        collateral().qeAttributes("01000000000000000000000000000000", mask), "ATTRIBUTES");
    // XFRM compared once the mask covers it.
    assertQeIdentityFails(
        collateral()
            .qeAttributes("11000000000000000700000000000000", "FBFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"),
        "ATTRIBUTES");
    // Bit 0x04 is outside the mask, and so is XFRM under Intel's usual mask: both ignored.
    assertTrue(
        verify(
                collateral().qeAttributes("15000000000000000700000000000000", mask),
                CrlMode.STRICT,
                NOW)
            .verified());
  }

  /** One collateral item expires five days before the verification time; the others are fresh. */
  enum Expired {
    TCB_INFO("TCB Info", SimulatedCollateral::tcbInfoNextUpdate, false),
    QE_IDENTITY("QE Identity", SimulatedCollateral::qeIdentityNextUpdate, false),
    PCK_CRL("PCK CRL", SimulatedCollateral::pckCrlNextUpdate, true),
    ROOT_CRL("root CA CRL", SimulatedCollateral::rootCrlNextUpdate, true);

    final String name;
    final BiFunction<SimulatedCollateral, Instant, SimulatedCollateral> setter;
    final boolean crl;

    Expired(
        String name,
        BiFunction<SimulatedCollateral, Instant, SimulatedCollateral> setter,
        boolean crl) {
      this.name = name;
      this.setter = setter;
      this.crl = crl;
    }
  }

  @ParameterizedTest
  @EnumSource(Expired.class)
  void eachItemExpiresOnItsOwn(Expired item) throws Exception {
    Instant at = NOW.plus(Duration.ofDays(10));
    SimulatedCollateral c = item.setter.apply(collateral(), NOW.plus(Duration.ofDays(5)));

    VerificationResult strict = verify(c, CrlMode.STRICT, at);
    assertFalse(strict.verified());
    VerificationException e = (VerificationException) strict.error();
    assertEquals(VerificationStep.COLLATERAL_VALIDITY, e.step(), e.getMessage());
    assertTrue(
        e.getMessage().contains("expired collateral: " + item.name + " nextUpdate"),
        e.getMessage());

    // Lenient CRL handling forgives a stale CRL, with a note, but never stale TCB Info or QE
    // Identity.
    VerificationResult lenient = verify(c, CrlMode.LENIENT, at);
    assertEquals(item.crl, lenient.verified(), String.valueOf(lenient.error()));
    if (item.crl) {
      assertTrue(
          lenient.crlNotes().stream().anyMatch(n -> n.contains("stale") && n.contains(item.name)),
          lenient.crlNotes().toString());
    }
    // The same collateral verifies while everything is fresh.
    assertTrue(verify(c, CrlMode.STRICT, NOW).verified());
  }

  @Test
  void aRevokedTcbLevelIsNotVerified() throws Exception {
    VerificationResult r = verify(collateral().tcbStatus(TcbStatus.Revoked), CrlMode.STRICT, NOW);
    assertFalse(r.verified());
    VerificationException e = (VerificationException) r.error();
    assertEquals(VerificationStep.TCB_STATUS, e.step(), e.getMessage());
    assertTrue(e.getMessage().contains("Revoked"), e.getMessage());

    VerificationException thrown =
        assertThrows(
            VerificationException.class,
            () ->
                new QuoteVerifier(home.pinnedRoot(), CrlMode.STRICT)
                    .verify(quote, collateral().tcbStatus(TcbStatus.Revoked).build(), NOW));
    assertEquals(VerificationStep.TCB_STATUS, thrown.step());
    // Any other status is verified and reported, for a policy to judge.
    VerificationResult outOfDate =
        verify(collateral().tcbStatus(TcbStatus.OutOfDate), CrlMode.STRICT, NOW);
    assertTrue(outOfDate.verified());
    assertEquals(TcbStatus.OutOfDate, outOfDate.tcbStatus());
  }
}
