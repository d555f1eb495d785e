package org.ppml.attestation.simulated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ppml.attestation.collateral.CollateralBundle;
import org.ppml.attestation.dcap.CrlMode;
import org.ppml.attestation.dcap.QuoteVerifier;
import org.ppml.attestation.dcap.SgxExtensions;
import org.ppml.attestation.dcap.VerificationException;
import org.ppml.attestation.dcap.VerificationResult;
import org.ppml.attestation.dcap.VerificationStep;

/**
 * Collateral signed by a key that chains to the pinned root but lacks the signer's role. Every
 * signature here is genuine; only the role check can refuse it.
 */
class CollateralSignerRoleTest {
  private static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");

  @TempDir static Path tmp;
  static DevHome home;
  static DevPki pki;
  static byte[] quote;

  @BeforeAll
  static void init() throws Exception {
    home = DevHome.init(tmp.resolve("dev"), NOW);
    pki = home.pki();
    quote = home.provider(new byte[32]).evidence(new byte[64]).quote();
  }

  /** A key, the issuer chain shipped with it, and why the verifier must refuse it. */
  record Signer(String name, PrivateKey key, String chainPem, String reason) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** Which collateral item the forged signer signs. */
  enum Item {
    TCB_INFO(VerificationStep.TCB_INFO_SIGNATURE),
    QE_IDENTITY(VerificationStep.QE_IDENTITY_SIGNATURE);

    final VerificationStep step;

    Item(VerificationStep step) {
      this.step = step;
    }

    SimulatedCollateral signedBy(SimulatedCollateral c, Signer s) {
      return this == TCB_INFO
          ? c.tcbInfoSigner(s.key(), s.chainPem())
          : c.qeIdentitySigner(s.key(), s.chainPem());
    }
  }

  private static SimulatedCollateral collateral() {
    return SimulatedCollateral.of(pki, NOW, NOW.plus(Duration.ofDays(30)));
  }

  private static QuoteVerifier verifier() throws Exception {
    return new QuoteVerifier(home.pinnedRoot(), CrlMode.STRICT);
  }

  /** An end-entity or CA certificate issued directly by the dev root. */
  private static Signer issuedByRoot(
      String name, X500Name subject, boolean ca, boolean sgxExtension, int keyUsage, String reason)
      throws Exception {
    KeyPair kp = DevPki.ecKeyPair();
    JcaX509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            pki.rootCertificate().getSubject(),
            BigInteger.valueOf(System.nanoTime()),
            Date.from(NOW.minus(Duration.ofDays(1))),
            Date.from(NOW.plus(Duration.ofDays(365))),
            subject,
            kp.getPublic());
    b.addExtension(
        Extension.basicConstraints,
        true,
        ca ? new BasicConstraints(0) : new BasicConstraints(false));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
    if (sgxExtension) {
      // Copied from the dev PCK certificate: what matters is that a PCK-like certificate is
      // refused.
      b.addExtension(
          SgxExtensions.OID,
          false,
          pki.pckCertificate().getExtension(SgxExtensions.OID).getParsedValue());
    }
    X509CertificateHolder cert =
        b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pki.rootKey()));
    return new Signer(name, kp.getPrivate(), DevFiles.pem(cert, pki.rootCertificate()), reason);
  }

  private static X500Name devName(String cn) {
    return new X500Name("CN=" + cn + ", O=PPML Development, C=ZZ");
  }

  static Stream<Arguments> forgedSigners() throws Exception {
    int sign = KeyUsage.digitalSignature | KeyUsage.nonRepudiation;
    List<Signer> signers =
        List.of(
            new Signer(
                "PCK leaf with the PCK chain",
                pki.pckKey(),
                pki.pckChainPem(),
                "not issued directly by the pinned root"),
            new Signer(
                "PCK CA with its chain", pki.pckCaKey(), pki.pckCrlIssuerChainPem(), "is a CA"),
            new Signer(
                "root CA alone",
                pki.rootKey(),
                DevFiles.pem(pki.rootCertificate()),
                "root CA itself"),
            issuedByRoot(
                "end entity with another name",
                devName("PPML Dev SGX Something Else"),
                false,
                false,
                sign,
                "is not the \"PPML Dev SGX TCB Signing\" certificate"),
            issuedByRoot(
                "TCB signing name on a CA",
                devName("PPML Dev SGX TCB Signing"),
                true,
                false,
                sign | KeyUsage.keyCertSign,
                "is a CA"),
            issuedByRoot(
                "TCB signing name with an SGX extension",
                devName("PPML Dev SGX TCB Signing"),
                false,
                true,
                sign,
                "SGX extension"),
            issuedByRoot(
                "TCB signing name without digitalSignature",
                devName("PPML Dev SGX TCB Signing"),
                false,
                false,
                KeyUsage.keyEncipherment,
                "not allowed digital signatures"));
    List<Arguments> out = new ArrayList<>();
    for (Item item : Item.values()) {
      for (Signer s : signers) {
        out.add(Arguments.of(item, s));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} signed by {1}")
  @MethodSource("forgedSigners")
  void aSignerWithoutTheTcbSigningRoleIsRefused(Item item, Signer signer) throws Exception {
    CollateralBundle forged = item.signedBy(collateral(), signer).build();
    VerificationResult r = verifier().evaluate(quote, forged, NOW);
    assertFalse(r.verified(), "collateral signed by the " + signer + " must not verify");
    VerificationException e = (VerificationException) r.error();
    assertEquals(item.step, e.step(), e.getMessage());
    assertTrue(e.getMessage().contains(signer.reason()), e.getMessage());
  }

  @Test
  void theSameHarnessWithTheRealTcbSigningKeyVerifies() throws Exception {
    Signer genuine = new Signer("TCB signing", pki.tcbSigningKey(), pki.tcbSigningChainPem(), null);
    for (Item item : Item.values()) {
      VerificationResult r =
          verifier().evaluate(quote, item.signedBy(collateral(), genuine).build(), NOW);
      assertTrue(r.verified(), item + ": " + r.error());
    }
    // The dev TCB signing certificate has exactly the role the verifier demands.
    X509CertificateHolder tcb = pki.tcbSigningCertificate();
    assertEquals(pki.rootCertificate().getSubject(), tcb.getIssuer());
    assertFalse(BasicConstraints.fromExtensions(tcb.getExtensions()).isCA());
    assertEquals(null, tcb.getExtension(SgxExtensions.OID));
  }

  @Test
  void theForgeryTheAuditFoundNamesTheReason() throws Exception {
    // TCB Info re-signed with the PCK leaf key, the PCK chain as its issuer chain: every signature
    // in it verifies, so only the signer's role gives it away.
    CollateralBundle forged = collateral().tcbInfoSigner(pki.pckKey(), pki.pckChainPem()).build();
    VerificationResult r = verifier().evaluate(quote, forged, NOW);
    assertFalse(r.verified());
    assertEquals("TCB_INFO_SIGNATURE", r.error().code());
    assertTrue(
        r.error().getMessage().contains("not issued directly by the pinned root"),
        r.error().getMessage());
  }

  /** A bundle whose PCK CRL is {@code crl}, signed under {@code chainPem}. */
  private static CollateralBundle withPckCrl(X509CRLHolder crl, String chainPem) throws Exception {
    ObjectNode o = collateral().build().toJson();
    o.put("pck_crl", Hex.toHexString(crl.getEncoded()));
    o.put("pck_crl_issuer_chain", chainPem);
    return CollateralBundle.parse(o.toString());
  }

  private static X509CRLHolder crl(X500Name issuer, PrivateKey key) throws Exception {
    X509v2CRLBuilder b = new X509v2CRLBuilder(issuer, Date.from(NOW));
    b.setNextUpdate(Date.from(NOW.plus(Duration.ofDays(30))));
    return b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key));
  }

  @Test
  void thePckCrlMustBeSignedByThePckCaItself() throws Exception {
    X500Name pckCaName = pki.pckCaCertificate().getSubject();
    // An end entity under the root that bears the PCK CA's name: name and signature match.
    Signer endEntity =
        issuedByRoot(
            "end entity named like the PCK CA",
            pckCaName,
            false,
            false,
            KeyUsage.digitalSignature | KeyUsage.cRLSign,
            null);
    assertCrlRefused(
        withPckCrl(crl(pckCaName, endEntity.key()), endEntity.chainPem()), "is not a CA");

    // A second CA under the root with the PCK CA's name but its own key: its CRL would hide
    // revocations of certificates the real PCK CA issued.
    Signer twin =
        issuedByRoot(
            "CA twin", pckCaName, true, false, KeyUsage.keyCertSign | KeyUsage.cRLSign, null);
    assertCrlRefused(
        withPckCrl(crl(pckCaName, twin.key()), twin.chainPem()),
        "is not the CA that issued the PCK certificate");

    Signer noCrlSign =
        issuedByRoot("CA without cRLSign", pckCaName, true, false, KeyUsage.keyCertSign, null);
    assertCrlRefused(
        withPckCrl(crl(pckCaName, noCrlSign.key()), noCrlSign.chainPem()),
        "not allowed to sign CRLs");

    // The genuine PCK CA signing the same kind of CRL passes.
    assertTrue(
        verifier()
            .evaluate(
                quote, withPckCrl(crl(pckCaName, pki.pckCaKey()), pki.pckCrlIssuerChainPem()), NOW)
            .verified());
  }

  private static void assertCrlRefused(CollateralBundle bundle, String reason) throws Exception {
    VerificationResult r = verifier().evaluate(quote, bundle, NOW);
    assertFalse(r.verified());
    assertEquals("CRL", r.error().code(), r.error().getMessage());
    assertTrue(r.error().getMessage().contains(reason), r.error().getMessage());
  }
}
