package org.ppml.attestation.simulated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.attestation.TestVectors;
import org.ppml.attestation.collateral.CollateralBundle;
import org.ppml.attestation.collateral.TcbStatus;
import org.ppml.attestation.dcap.CrlMode;
import org.ppml.attestation.dcap.PinnedRoot;
import org.ppml.attestation.dcap.QuoteVerifier;
import org.ppml.attestation.dcap.VerificationException;
import org.ppml.attestation.dcap.VerificationResult;
import org.ppml.attestation.dcap.VerificationStep;
import org.ppml.attestation.evidence.Evidence;
import org.ppml.attestation.evidence.EvidenceException;
import org.ppml.attestation.policy.Policy;
import org.ppml.attestation.policy.PolicyDecision;
import org.ppml.attestation.quote.EnclaveReport;
import org.ppml.attestation.quote.Quote;
import org.ppml.enclave.sgx.EnclaveKeyPem;

/** Dev init, a simulated quote, verification with the dev root through the real verifier. */
class SimulatedSgxTest {
  private static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");
  private static final byte[] MRENCLAVE = Hex.decode("aa".repeat(32));

  @TempDir static Path tmp;
  static DevHome home;

  @BeforeAll
  static void init() throws Exception {
    home = DevHome.init(tmp.resolve("dev"), NOW);
  }

  private static byte[] reportData(String s) {
    return java.util.Arrays.copyOf(s.getBytes(StandardCharsets.US_ASCII), 64);
  }

  private static QuoteVerifier devVerifier() throws Exception {
    return new QuoteVerifier(home.pinnedRoot(), CrlMode.STRICT);
  }

  @Test
  void simulatedQuoteVerifiesWithTheDevRootAndIsMarkedSimulated() throws Exception {
    Evidence e = home.provider(MRENCLAVE).evidence(reportData("nonce"));
    assertEquals("simulated", e.provider());
    VerificationResult r = devVerifier().verify(e.quote(), home.collateral(), NOW.plusSeconds(60));
    assertTrue(r.verified());
    assertTrue(r.simulated());
    assertTrue(r.debug(), "simulated enclaves are always debug");
    assertEquals(TcbStatus.UpToDate, r.tcbStatus());
    assertArrayEquals(MRENCLAVE, r.mrEnclave());
    assertArrayEquals(home.mrSigner(), r.mrSigner());
    assertArrayEquals(reportData("nonce"), r.reportData());
    assertArrayEquals(DevPlatform.FMSPC, r.fmspc());
    assertEquals(3, r.quoteVersion());
  }

  @Test
  void mrSignerIsTheSha256OfTheLittleEndianModulus() throws Exception {
    Quote q = Quote.parse(home.provider(MRENCLAVE).evidence(new byte[64]).quote());
    assertArrayEquals(home.mrSigner(), ((EnclaveReport) q.body()).mrSigner());
    assertEquals(32, home.mrSigner().length);
  }

  @Test
  void mrSignerOfTheIntelSdkSampleKeyIsTheKnownValue() throws Exception {
    // testdata/README.md, sigstruct/fortanix-sig1: the public Intel SDK sample key.
    byte[] pem =
        Files.readAllBytes(TestVectors.testdata().resolve("sigstruct/fortanix-sig1/sig1.key.pem"));
    RSAPublicKey key = EnclaveKeyPem.publicKeyOf(EnclaveKeyPem.readPrivateKey(pem));
    assertEquals(
        "83d719e77deaca1470f6baf62a4d774303c899db69020f9c70ee1dfc08c7ce9e",
        Hex.toHexString(SimulatedMeasurement.mrSignerOf(key)));
  }

  @Test
  void policyAllowsSimulatedEvidenceOnlyWithAllowSimulatedAndAllowDebug() throws Exception {
    VerificationResult r =
        devVerifier()
            .verify(
                home.provider(MRENCLAVE).evidence(new byte[64]).quote(), home.collateral(), NOW);
    PolicyDecision strict = Policy.defaults().evaluate(r);
    assertFalse(strict.allowed());
    assertEquals(
        Set.of("allowSimulated", "allowDebug"),
        strict.violations().stream().map(v -> v.field()).collect(Collectors.toSet()),
        strict.violations().toString());
    Policy dev =
        Policy.parse(
            ("{\"allowSimulated\":true,\"allowDebug\":true,\"mrEnclave\":[\""
                    + Hex.toHexString(MRENCLAVE)
                    + "\"],\"mrSigner\":\""
                    + Hex.toHexString(home.mrSigner())
                    + "\",\"isvProdId\":0,\"minIsvSvn\":0}")
                .getBytes(StandardCharsets.UTF_8));
    assertTrue(dev.evaluate(r).allowed(), dev.evaluate(r).violations().toString());
  }

  @Test
  void debugQuoteIsRejectedUnlessDebugIsAllowed() throws Exception {
    VerificationResult r =
        devVerifier()
            .verify(
                home.provider(MRENCLAVE).evidence(new byte[64]).quote(), home.collateral(), NOW);
    PolicyDecision d =
        Policy.parse("{\"allowSimulated\":true}".getBytes(StandardCharsets.UTF_8)).evaluate(r);
    assertFalse(d.allowed());
    assertEquals(List.of("allowDebug"), d.violations().stream().map(v -> v.field()).toList());
  }

  @Test
  void simulatedQuoteIsRejectedAgainstTheIntelRoot() throws Exception {
    byte[] quote = home.provider(MRENCLAVE).evidence(new byte[64]).quote();
    VerificationException e =
        assertThrows(
            VerificationException.class,
            () -> QuoteVerifier.intel().verify(quote, home.collateral(), NOW));
    assertEquals(VerificationStep.PCK_CERT_CHAIN, e.step());
  }

  @Test
  void theDevRootIsRecognisedWithoutBeingDeclared() throws Exception {
    // However it is pinned, results under the dev root say simulated, so a policy without
    // allowSimulated refuses them.
    for (PinnedRoot root :
        List.of(
            PinnedRoot.fromFile(home.rootCertificateFile(), false),
            PinnedRoot.of(home.rootCertificate()))) {
      assertTrue(root.isDevelopment(), root.toString());
      VerificationResult r =
          new QuoteVerifier(root, CrlMode.STRICT)
              .verify(
                  home.provider(MRENCLAVE).evidence(new byte[64]).quote(), home.collateral(), NOW);
      assertTrue(r.verified());
      assertTrue(r.simulated());
      assertTrue(
          Policy.defaults().evaluate(r).violations().stream()
              .anyMatch(v -> v.field().equals("allowSimulated")));
    }
    assertFalse(PinnedRoot.intel().isDevelopment());
    assertTrue(PinnedRoot.intel().isIntel());
    assertFalse(PinnedRoot.of(home.rootCertificate()).isIntel());
  }

  @Test
  void reopenedHomeProducesVerifyingQuotes() throws Exception {
    DevHome reopened = DevHome.open(home.directory());
    byte[] quote = reopened.provider(MRENCLAVE).evidence(new byte[64]).quote();
    assertTrue(
        new QuoteVerifier(PinnedRoot.fromFile(reopened.rootCertificateFile(), true), CrlMode.STRICT)
            .verify(quote, reopened.collateral(), NOW)
            .verified());
    assertArrayEquals(home.mrSigner(), reopened.mrSigner());
  }

  @Test
  void devHomeIsPrivate() throws Exception {
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(home.directory())));
    try (Stream<Path> files = Files.list(home.directory())) {
      for (Path f : files.toList()) {
        assertEquals(
            "rw-------",
            PosixFilePermissions.toString(Files.getPosixFilePermissions(f)),
            f.toString());
      }
    }
  }

  @Test
  void revokedPckCertificateInATestCaSignedCrlFails() throws Exception {
    CollateralBundle revoked =
        SimulatedCollateral.of(home.pki(), NOW, NOW.plus(Duration.ofDays(30)))
            .revokePck(home.pki().pckCertificate().getSerialNumber())
            .build();
    byte[] quote = home.provider(MRENCLAVE).evidence(new byte[64]).quote();
    VerificationException e =
        assertThrows(VerificationException.class, () -> devVerifier().verify(quote, revoked, NOW));
    assertEquals(VerificationStep.CRL, e.step());
    assertTrue(e.getMessage().contains("revoked"), e.getMessage());
    // CRL checking off does not see it, and says so.
    VerificationResult off =
        new QuoteVerifier(home.pinnedRoot(), CrlMode.OFF).verify(quote, revoked, NOW);
    assertTrue(off.verified());
    assertFalse(off.crlNotes().isEmpty());
  }

  @Test
  void qeIdentityWithAnotherMrSignerFails() throws Exception {
    CollateralBundle other =
        SimulatedCollateral.of(home.pki(), NOW, NOW.plus(Duration.ofDays(30)))
            .qeMrSigner(MessageDigest.getInstance("SHA-256").digest(new byte[] {1}))
            .build();
    byte[] quote = home.provider(MRENCLAVE).evidence(new byte[64]).quote();
    VerificationException e =
        assertThrows(VerificationException.class, () -> devVerifier().verify(quote, other, NOW));
    assertEquals(VerificationStep.QE_IDENTITY, e.step());
    assertTrue(e.getMessage().contains("MRSIGNER"), e.getMessage());
  }

  @Test
  void wellSignedTcbInfoForAnotherFmspcFails() throws Exception {
    CollateralBundle other =
        SimulatedCollateral.of(home.pki(), NOW, NOW.plus(Duration.ofDays(30)))
            .fmspc(Hex.decode("00a067110000"))
            .build();
    byte[] quote = home.provider(MRENCLAVE).evidence(new byte[64]).quote();
    VerificationException e =
        assertThrows(VerificationException.class, () -> devVerifier().verify(quote, other, NOW));
    assertEquals(VerificationStep.FMSPC_PCEID, e.step());
  }

  @Test
  void simulatedCollateralExpires() throws Exception {
    byte[] quote = home.provider(MRENCLAVE).evidence(new byte[64]).quote();
    VerificationException e =
        assertThrows(
            VerificationException.class,
            () ->
                devVerifier()
                    .verify(
                        quote,
                        home.collateral(),
                        NOW.plus(DevHome.COLLATERAL_LIFETIME).plusSeconds(1)));
    assertEquals(VerificationStep.COLLATERAL_VALIDITY, e.step());
  }

  @Test
  void reportDataMustBe64Bytes() {
    assertThrows(EvidenceException.class, () -> home.provider(MRENCLAVE).evidence(new byte[63]));
  }

  @Test
  void mrEnclaveOfJarsDependsOnNamesAndContents() throws Exception {
    Path a = Files.write(tmp.resolve("a.jar"), new byte[] {1});
    Path b = Files.write(tmp.resolve("b.jar"), new byte[] {2});
    byte[] ab = SimulatedMeasurement.mrEnclaveOfJars(List.of(a, b));
    assertArrayEquals(ab, SimulatedMeasurement.mrEnclaveOfJars(List.of(b, a)), "order-independent");
    Files.write(b, new byte[] {3});
    assertFalse(java.util.Arrays.equals(ab, SimulatedMeasurement.mrEnclaveOfJars(List.of(a, b))));
  }
}
