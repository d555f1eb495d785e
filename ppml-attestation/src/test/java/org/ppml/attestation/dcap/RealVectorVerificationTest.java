package org.ppml.attestation.dcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ppml.attestation.TestVectors;
import org.ppml.attestation.collateral.CollateralBundle;
import org.ppml.attestation.collateral.TcbStatus;
import org.ppml.attestation.quote.TeeType;

class RealVectorVerificationTest {

  private static CollateralBundle bundle(TestVectors v) throws Exception {
    return CollateralBundle.parse(v.collateralBytes());
  }

  @Test
  void sgxV3VerifiesWithTheReadmeValues() throws Exception {
    TestVectors v = TestVectors.SGX_V3;
    VerificationResult r = QuoteVerifier.intel().verify(v.quoteBytes(), bundle(v), v.at);
    assertTrue(r.verified());
    assertNull(r.error());
    assertEquals(TeeType.SGX, r.teeType());
    assertEquals(3, r.quoteVersion());
    assertEquals(TcbStatus.ConfigurationAndSWHardeningNeeded, r.tcbStatus());
    assertEquals(List.of("INTEL-SA-00289", "INTEL-SA-00615"), r.advisoryIds());
    assertEquals(
        "33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb",
        Hex.toHexString(r.mrEnclave()));
    assertEquals(
        "815f42f11cf64430c30bab7816ba596a1da0130c3b028b673133a66cf9a3e0e6",
        Hex.toHexString(r.mrSigner()));
    assertEquals(0, r.isvProdId());
    assertEquals(0, r.isvSvn());
    assertFalse(r.debug());
    assertEquals("00a067110000", Hex.toHexString(r.fmspc()));
    byte[] expectedReportData =
        Arrays.copyOf("Hello, world!".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 64);
    assertArrayEquals(expectedReportData, r.reportData());
    assertEquals(17, r.tcbEvaluationDataNumber());
    assertEquals(
        13, r.pckExtensions().pceSvn(), "PCESVN comes from the PCK certificate, not the header");
    assertEquals(15, r.quote().header().pceSvn());
    assertNull(r.mrTd());
    assertFalse(r.simulated());
    assertTrue(r.crlNotes().isEmpty());
  }

  @Test
  void tdxV4VerifiesWithTheReadmeValues() throws Exception {
    TestVectors v = TestVectors.TDX_V4;
    VerificationResult r = QuoteVerifier.intel().verify(v.quoteBytes(), bundle(v), v.at);
    assertTrue(r.verified());
    assertEquals(TeeType.TDX, r.teeType());
    assertEquals(4, r.quoteVersion());
    assertEquals(TcbStatus.UpToDate, r.tcbStatus());
    assertEquals(TcbStatus.UpToDate, r.tdxModuleTcbStatus());
    assertEquals(List.of(), r.advisoryIds());
    assertEquals("b0c06f000000", Hex.toHexString(r.fmspc()));
    assertEquals(
        "91eb2b44d141d4ece09f0c75c2c53d247a3c68edd7fafe8a3520c942a604a407de03ae6dc5f87f27428b2538873118b7",
        Hex.toHexString(r.mrTd()));
    assertEquals(48, r.rtmr(3).length);
    assertNull(r.mrEnclave());
    assertEquals(17, r.tcbEvaluationDataNumber());
  }

  @Test
  void tdxV5OutdatedHasGoodSignaturesButNoMatchingTcbLevel() throws Exception {
    TestVectors v = TestVectors.TDX_V5_OUTDATED;
    VerificationException e =
        assertThrows(
            VerificationException.class,
            () -> QuoteVerifier.intel().verify(v.quoteBytes(), bundle(v), v.at));
    assertEquals(VerificationStep.TCB_LEVEL, e.step());
    assertTrue(e.getMessage().contains("no matching TCB level"), e.getMessage());

    VerificationResult r = QuoteVerifier.intel().evaluate(v.quoteBytes(), bundle(v), v.at);
    assertFalse(r.verified());
    assertEquals("TCB_LEVEL", r.error().code());
    assertEquals(5, r.quoteVersion());
    assertEquals(TeeType.TDX, r.teeType());
  }

  @ParameterizedTest
  @EnumSource(TestVectors.class)
  void eachVectorFailsAsExpiredOneSecondAfterItsWindow(TestVectors v) throws Exception {
    VerificationException e =
        assertThrows(
            VerificationException.class,
            () ->
                QuoteVerifier.intel()
                    .verify(v.quoteBytes(), bundle(v), v.windowEnd.plusSeconds(1)));
    assertEquals(VerificationStep.COLLATERAL_VALIDITY, e.step());
    assertTrue(e.getMessage().contains("expired collateral"), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(TestVectors.class)
  void eachVectorFailsOneSecondBeforeItsWindow(TestVectors v) throws Exception {
    VerificationException e =
        assertThrows(
            VerificationException.class,
            () ->
                QuoteVerifier.intel()
                    .verify(v.quoteBytes(), bundle(v), v.windowStart.minusSeconds(1)));
    assertEquals(VerificationStep.COLLATERAL_VALIDITY, e.step());
    assertTrue(e.getMessage().contains("not yet valid"), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(
      value = TestVectors.class,
      names = {"SGX_V3", "TDX_V4"})
  void verifiesAtBothEndsOfItsWindow(TestVectors v) throws Exception {
    assertTrue(QuoteVerifier.intel().verify(v.quoteBytes(), bundle(v), v.windowStart).verified());
    assertTrue(QuoteVerifier.intel().verify(v.quoteBytes(), bundle(v), v.windowEnd).verified());
  }

  @Test
  void lenientCrlModeAcceptsAStaleCrlAndSaysSo() throws Exception {
    TestVectors v = TestVectors.TDX_V4;
    // Past the PCK CRL's nextUpdate (10:00:35) but before TCB Info and QE Identity expire.
    java.time.Instant at = v.windowEnd.plus(Duration.ofMinutes(5));
    QuoteVerifier strict = QuoteVerifier.intel();
    VerificationException e =
        assertThrows(
            VerificationException.class, () -> strict.verify(v.quoteBytes(), bundle(v), at));
    assertEquals(VerificationStep.COLLATERAL_VALIDITY, e.step());
    assertTrue(e.getMessage().contains("PCK CRL"), e.getMessage());

    VerificationResult r =
        new QuoteVerifier(PinnedRoot.intel(), CrlMode.LENIENT)
            .verify(v.quoteBytes(), bundle(v), at);
    assertTrue(r.verified());
    assertEquals(1, r.crlNotes().size());
    assertTrue(r.crlNotes().get(0).contains("stale"), r.crlNotes().toString());
  }

  @Test
  void crlModeOffIsReported() throws Exception {
    TestVectors v = TestVectors.SGX_V3;
    VerificationResult r =
        new QuoteVerifier(PinnedRoot.intel(), CrlMode.OFF).verify(v.quoteBytes(), bundle(v), v.at);
    assertTrue(r.verified());
    assertTrue(r.crlNotes().get(0).contains("off"));
  }

  @ParameterizedTest
  @EnumSource(TestVectors.class)
  void rememberedChecksNeverChangeTheVerdict(TestVectors v) throws Exception {
    QuoteVerifier.forgetRememberedChecks();
    VerificationResult cold = QuoteVerifier.intel().evaluate(v.quoteBytes(), bundle(v), v.at);
    VerificationResult warm = QuoteVerifier.intel().evaluate(v.quoteBytes(), bundle(v), v.at);
    QuoteVerifier.forgetPlatformChecks();
    VerificationResult newPlatform =
        QuoteVerifier.intel().evaluate(v.quoteBytes(), bundle(v), v.at);
    QuoteVerifier.forgetRememberedChecks();
    VerificationResult again = QuoteVerifier.intel().evaluate(v.quoteBytes(), bundle(v), v.at);
    for (VerificationResult r : List.of(warm, newPlatform, again)) {
      assertEquals(cold.verified(), r.verified());
      assertEquals(cold.tcbStatus(), r.tcbStatus());
      assertEquals(
          cold.error() == null ? null : cold.error().getMessage(),
          r.error() == null ? null : r.error().getMessage());
    }
    assertEquals(v != TestVectors.TDX_V5_OUTDATED, cold.verified());
  }

  @Test
  void bundledIntelRootIsTheTestdataRoot() throws Exception {
    assertEquals(PinnedRoot.INTEL_SGX_ROOT_CA_SHA256, PinnedRoot.intel().sha256Hex());
    assertArrayEquals(TestVectors.intelRootDer(), PinnedRoot.intel().certificate().getEncoded());
  }
}
