package org.ppml.attestation.dcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.ppml.attestation.AttestationException;
import org.ppml.attestation.QuoteSurgery;
import org.ppml.attestation.TestVectors;
import org.ppml.attestation.collateral.CollateralBundle;
import org.ppml.attestation.quote.CertificationData;
import org.ppml.attestation.quote.Quote;

/** Real vectors with one thing changed: each change must fail at the step that guards it. */
class TamperedEvidenceTest {
  private static final TestVectors SGX = TestVectors.SGX_V3;
  private static final Pattern PEM =
      Pattern.compile(
          "-----BEGIN CERTIFICATE-----\\s*([A-Za-z0-9+/=\\s]+?)-----END CERTIFICATE-----");

  private static CollateralBundle sgxBundle() throws Exception {
    return CollateralBundle.parse(SGX.collateralBytes());
  }

  private static VerificationStep failingStep(
      QuoteVerifier verifier, byte[] quote, CollateralBundle bundle, Instant at) {
    VerificationResult r = verifier.evaluate(quote, bundle, at);
    assertFalse(r.verified(), "tampered evidence must not verify");
    AttestationException e = r.error();
    assertNotNull(e);
    return e instanceof VerificationException ve ? ve.step() : null;
  }

  private static void assertStep(VerificationStep expected, byte[] quote, String what)
      throws Exception {
    assertEquals(expected, failingStep(QuoteVerifier.intel(), quote, sgxBundle(), SGX.at), what);
  }

  @Test
  void flippedBitsInEachSignedRegionFailAtTheirStep() throws Exception {
    byte[] q = SGX.quoteBytes();
    // Header fields the parser does not interpret, and the whole report body: quote signature.
    for (int at : new int[] {8, 9, 10, 12, 27, 28, 47, 48, 64, 112, 176, 300, 431}) {
      assertStep(
          VerificationStep.QUOTE_SIGNATURE,
          QuoteSurgery.flipBit(q, at, at % 8),
          "body/header byte " + at);
    }
    for (int at : new int[] {0, 31, 63}) {
      assertStep(
          VerificationStep.QUOTE_SIGNATURE,
          QuoteSurgery.flipBit(q, QuoteSurgery.V3_QUOTE_SIG_AT + at, 3),
          "quote signature byte " + at);
    }
    for (int at : new int[] {0, 40, 63}) {
      assertStep(
          VerificationStep.QE_BINDING,
          QuoteSurgery.flipBit(q, QuoteSurgery.V3_ATTEST_KEY_AT + at, 0),
          "attestation key byte " + at);
    }
    for (int at : new int[] {0, 48, 64, 256, 320, 383}) {
      assertStep(
          VerificationStep.QE_REPORT_SIGNATURE,
          QuoteSurgery.flipBit(q, QuoteSurgery.V3_QE_REPORT_AT + at, 1),
          "QE report byte " + at);
    }
    for (int at : new int[] {0, 32, 63}) {
      assertStep(
          VerificationStep.QE_REPORT_SIGNATURE,
          QuoteSurgery.flipBit(q, QuoteSurgery.V3_QE_SIG_AT + at, 5),
          "QE report signature byte " + at);
    }
    int auth = QuoteSurgery.v3AuthDataAt();
    assertStep(VerificationStep.QE_BINDING, QuoteSurgery.flipBit(q, auth, 0), "QE auth data");
  }

  @Test
  void flippedBitsInTdxSignedRegionsFail() throws Exception {
    TestVectors v = TestVectors.TDX_V4;
    CollateralBundle b = CollateralBundle.parse(v.collateralBytes());
    byte[] q = v.quoteBytes();
    for (int at : new int[] {20, 48, 48 + 136, 48 + 328, 48 + 520, 48 + 583}) {
      assertEquals(
          VerificationStep.QUOTE_SIGNATURE,
          failingStep(QuoteVerifier.intel(), QuoteSurgery.flipBit(q, at, 2), b, v.at),
          "TD report byte " + at);
    }
    int qeReportAt = 48 + 584 + 4 + 128 + 6;
    assertEquals(
        VerificationStep.QE_REPORT_SIGNATURE,
        failingStep(QuoteVerifier.intel(), QuoteSurgery.flipBit(q, qeReportAt + 100, 2), b, v.at));
  }

  @Test
  void flippedBitInEachCertificateOfThePckChainFailsTheChain() throws Exception {
    byte[] q = SGX.quoteBytes();
    String pem =
        new String(QuoteSurgery.v3CertData(q), StandardCharsets.US_ASCII).replace("\0", "");
    List<byte[]> ders = new ArrayList<>();
    Matcher m = PEM.matcher(pem);
    while (m.find()) {
      ders.add(Base64.getMimeDecoder().decode(m.group(1)));
    }
    assertEquals(3, ders.size());
    for (int cert = 0; cert < ders.size(); cert++) {
      int len = ders.get(cert).length;
      for (int at : new int[] {1, 10, len / 3, len / 2, len - 40, len - 1}) {
        List<byte[]> mutated = new ArrayList<>(ders);
        mutated.set(cert, QuoteSurgery.flipBit(ders.get(cert), at, 4));
        byte[] tampered =
            QuoteSurgery.v3WithCertData(q, CertificationData.TYPE_PCK_CERT_CHAIN, toPem(mutated));
        assertStep(
            VerificationStep.PCK_CERT_CHAIN, tampered, "certificate " + cert + " byte " + at);
      }
    }
  }

  @Test
  void flippedBitInEachCertificateOfTheTdxPckChainFailsTheChain() throws Exception {
    TestVectors v = TestVectors.TDX_V4;
    CollateralBundle b = CollateralBundle.parse(v.collateralBytes());
    byte[] q = v.quoteBytes();
    // The chain sits inside the type-6 QE certification data; rewriting one certificate's base64
    // in place keeps every length field of the quote valid.
    String text = new String(q, StandardCharsets.ISO_8859_1);
    Matcher m = PEM.matcher(text);
    int certs = 0;
    while (m.find()) {
      int bodyStart = m.start(1);
      String body = m.group(1);
      byte[] der = Base64.getMimeDecoder().decode(body);
      assertEquals(body.strip(), mime(der), "certificate " + certs + " re-encodes byte for byte");
      int len = der.length;
      for (int at : new int[] {1, 10, len / 3, len / 2, len - 40, len - 1}) {
        String flipped = mime(QuoteSurgery.flipBit(der, at, 4));
        byte[] tampered = q.clone();
        byte[] replacement = flipped.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(
            replacement, 0, tampered, bodyStart + body.indexOf(body.strip()), replacement.length);
        assertEquals(
            VerificationStep.PCK_CERT_CHAIN,
            failingStep(QuoteVerifier.intel(), tampered, b, v.at),
            "certificate " + certs + " byte " + at);
      }
      certs++;
    }
    assertEquals(3, certs);
  }

  private static String mime(byte[] der) {
    return Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
  }

  @Test
  void flippedBitInEachCertificateOfThePckCrlIssuerChainFailsTheCrls() throws Exception {
    List<byte[]> ders = new ArrayList<>();
    Matcher m = PEM.matcher(sgxBundle().pckCrlIssuerChain());
    while (m.find()) {
      ders.add(Base64.getMimeDecoder().decode(m.group(1)));
    }
    assertEquals(2, ders.size(), "PCK Processor CA and root");
    String intact = new String(toPem(ders), StandardCharsets.US_ASCII);
    assertTrue(
        QuoteVerifier.intel()
            .evaluate(SGX.quoteBytes(), withField("pck_crl_issuer_chain", intact), SGX.at)
            .verified(),
        "the re-encoded chain itself is fine");
    for (int cert = 0; cert < ders.size(); cert++) {
      int len = ders.get(cert).length;
      for (int at : new int[] {1, 10, len / 3, len / 2, len - 40, len - 1}) {
        List<byte[]> mutated = new ArrayList<>(ders);
        mutated.set(cert, QuoteSurgery.flipBit(ders.get(cert), at, 4));
        String chain = new String(toPem(mutated), StandardCharsets.US_ASCII);
        assertEquals(
            VerificationStep.CRL,
            failingStep(
                QuoteVerifier.intel(),
                SGX.quoteBytes(),
                withField("pck_crl_issuer_chain", chain),
                SGX.at),
            "certificate " + cert + " byte " + at);
      }
    }
  }

  @Test
  void intelCertificatesWithoutTheTcbSigningRoleCannotSignCollateral() throws Exception {
    // Real Intel chains that lead to the pinned root, offered as collateral issuer chains: the
    // role check names why before any signature is tried.
    String pckChain =
        Quote.parse(SGX.quoteBytes()).qeCertificationData().certificationData().pckCertChainPem();
    VerificationResult r =
        QuoteVerifier.intel()
            .evaluate(SGX.quoteBytes(), withField("tcb_info_issuer_chain", pckChain), SGX.at);
    assertEquals("TCB_INFO_SIGNATURE", r.error().code());
    assertTrue(
        r.error().getMessage().contains("not issued directly by the pinned root"),
        r.error().getMessage());

    String pckCaChain = sgxBundle().pckCrlIssuerChain();
    r =
        QuoteVerifier.intel()
            .evaluate(SGX.quoteBytes(), withField("qe_identity_issuer_chain", pckCaChain), SGX.at);
    assertEquals("QE_IDENTITY_SIGNATURE", r.error().code());
    assertTrue(
        r.error().getMessage().contains("Intel SGX PCK Processor CA"), r.error().getMessage());
    assertTrue(r.error().getMessage().contains("is a CA"), r.error().getMessage());
  }

  private static byte[] toPem(List<byte[]> ders) {
    StringBuilder sb = new StringBuilder();
    for (byte[] d : ders) {
      sb.append("-----BEGIN CERTIFICATE-----\n")
          .append(
              Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(d))
          .append("\n-----END CERTIFICATE-----\n");
    }
    // The canonical form ends in one NUL, as Intel's quote provider library writes it.
    return sb.append('\0').toString().getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void unsupportedCertificationDataTypeIsNamed() throws Exception {
    byte[] q = QuoteSurgery.v3WithCertData(SGX.quoteBytes(), 3, new byte[400]);
    VerificationResult r = QuoteVerifier.intel().evaluate(q, sgxBundle(), SGX.at);
    assertEquals("PCK_CERT_CHAIN", r.error().code());
    assertTrue(r.error().getMessage().contains("unsupported certification data type 3"));
  }

  @Test
  void swappedPckChainFromAnotherPlatformFails() throws Exception {
    byte[] tdxChain =
        Quote.parse(TestVectors.TDX_V4.quoteBytes())
            .qeCertificationData()
            .certificationData()
            .data();
    byte[] q =
        QuoteSurgery.v3WithCertData(
            SGX.quoteBytes(), CertificationData.TYPE_PCK_CERT_CHAIN, tdxChain);
    // Its PCK CA (Platform) is not the issuer of the bundle's PCK CRL (Processor).
    assertEquals(VerificationStep.CRL, failingStep(QuoteVerifier.intel(), q, sgxBundle(), SGX.at));
    // Without CRLs, the other platform's FMSPC gives it away.
    assertEquals(
        VerificationStep.FMSPC_PCEID,
        failingStep(new QuoteVerifier(PinnedRoot.intel(), CrlMode.OFF), q, sgxBundle(), SGX.at));
  }

  @Test
  void intelCertificatesThatAreNotAPckPathCannotStandInForThePlatform() throws Exception {
    CollateralBundle bundle = sgxBundle();
    // Genuine Intel certificates under the pinned root, but the TCB signing certificate and the
    // PCK CA are not platforms; a bare root has no leaf at all.
    String rootPem = lastPem(bundle.tcbInfoIssuerChain());
    Map<String, String> chains =
        Map.of(
            "TCB signing certificate", bundle.tcbInfoIssuerChain(),
            "PCK CA", bundle.pckCrlIssuerChain(),
            "root alone", rootPem);
    for (Map.Entry<String, String> c : chains.entrySet()) {
      byte[] q =
          QuoteSurgery.v3WithCertData(
              SGX.quoteBytes(),
              CertificationData.TYPE_PCK_CERT_CHAIN,
              (c.getValue() + "\0").getBytes(StandardCharsets.US_ASCII));
      VerificationResult r = QuoteVerifier.intel().evaluate(q, bundle, SGX.at);
      assertFalse(r.verified(), c.getKey());
      assertEquals("PCK_CERT_CHAIN", r.error().code(), c.getKey() + ": " + r.error().getMessage());
      assertTrue(
          r.error().getMessage().contains("certificate(s) up to the pinned root"),
          c.getKey() + ": " + r.error().getMessage());
    }
  }

  private static String lastPem(String chain) {
    int begin = chain.lastIndexOf("-----BEGIN CERTIFICATE-----");
    return chain.substring(begin);
  }

  @Test
  void wrongPinnedRootFailsTheChain() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair kp = g.generateKeyPair();
    X500Name name =
        new X500Name("CN=Intel SGX Root CA, O=Intel Corporation, L=Santa Clara, ST=CA, C=US");
    X509CertificateHolder fake =
        new JcaX509v3CertificateBuilder(
                name,
                BigInteger.ONE,
                Date.from(Instant.parse("2018-01-01T00:00:00Z")),
                Date.from(Instant.parse("2049-01-01T00:00:00Z")),
                name,
                kp.getPublic())
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
    QuoteVerifier verifier = new QuoteVerifier(PinnedRoot.of(fake), CrlMode.STRICT);
    VerificationResult r = verifier.evaluate(SGX.quoteBytes(), sgxBundle(), SGX.at);
    assertFalse(r.verified());
    assertEquals("PCK_CERT_CHAIN", r.error().code());
  }

  private static CollateralBundle withField(String field, String value) throws Exception {
    ObjectNode o = sgxBundle().toJson();
    o.put(field, value);
    return CollateralBundle.parse(o.toString());
  }

  @Test
  void tamperedTcbInfoFailsItsSignature() throws Exception {
    String raw = sgxBundle().tcbInfo().rawJson();
    // The attack that matters: promote the platform's level to UpToDate.
    String promoted = raw.replaceFirst("\"ConfigurationAndSWHardeningNeeded\"", "\"UpToDate\"");
    assertTrue(!promoted.equals(raw));
    assertEquals(
        VerificationStep.TCB_INFO_SIGNATURE,
        failingStep(
            QuoteVerifier.intel(), SGX.quoteBytes(), withField("tcb_info", promoted), SGX.at));
    // Whitespace is not "the same JSON": the signature is over the exact text.
    assertEquals(
        VerificationStep.TCB_INFO_SIGNATURE,
        failingStep(
            QuoteVerifier.intel(),
            SGX.quoteBytes(),
            withField("tcb_info", raw.replaceFirst(",", ", ")),
            SGX.at));
    String sig = Hex.toHexString(sgxBundle().tcbInfoSignature());
    String badSig = (sig.charAt(0) == '0' ? "1" : "0") + sig.substring(1);
    assertEquals(
        VerificationStep.TCB_INFO_SIGNATURE,
        failingStep(
            QuoteVerifier.intel(),
            SGX.quoteBytes(),
            withField("tcb_info_signature", badSig),
            SGX.at));
  }

  @Test
  void flippedBitInTheTcbSigningCertificateFails() throws Exception {
    String chain = sgxBundle().tcbInfoIssuerChain();
    Matcher m = PEM.matcher(chain);
    assertTrue(m.find());
    byte[] der = Base64.getMimeDecoder().decode(m.group(1));
    for (int at : new int[] {20, der.length / 2, der.length - 10}) {
      String tampered =
          new String(toPem(List.of(QuoteSurgery.flipBit(der, at, 6))), StandardCharsets.US_ASCII)
              + chain.substring(m.end()).trim()
              + "\n";
      assertEquals(
          VerificationStep.TCB_INFO_SIGNATURE,
          failingStep(
              QuoteVerifier.intel(),
              SGX.quoteBytes(),
              withField("tcb_info_issuer_chain", tampered),
              SGX.at),
          "byte " + at);
      assertEquals(
          VerificationStep.QE_IDENTITY_SIGNATURE,
          failingStep(
              QuoteVerifier.intel(),
              SGX.quoteBytes(),
              withField("qe_identity_issuer_chain", tampered),
              SGX.at),
          "byte " + at);
    }
  }

  @Test
  void tamperedQeIdentityFailsItsSignature() throws Exception {
    String raw = sgxBundle().qeIdentity().rawJson();
    String lowered = raw.replace("\"isvsvn\":8", "\"isvsvn\":1");
    assertTrue(!lowered.equals(raw));
    assertEquals(
        VerificationStep.QE_IDENTITY_SIGNATURE,
        failingStep(
            QuoteVerifier.intel(), SGX.quoteBytes(), withField("qe_identity", lowered), SGX.at));
  }

  @Test
  void tcbInfoForAnotherFmspcFails() throws Exception {
    CollateralBundle tdx = CollateralBundle.parse(TestVectors.TDX_V4.collateralBytes());
    ObjectNode o = sgxBundle().toJson();
    o.put("tcb_info", tdx.tcbInfo().rawJson());
    o.put("tcb_info_signature", Hex.toHexString(tdx.tcbInfoSignature()));
    o.put("tcb_info_issuer_chain", tdx.tcbInfoIssuerChain());
    VerificationException e =
        assertThrows(
            VerificationException.class,
            () ->
                QuoteVerifier.intel()
                    .verify(SGX.quoteBytes(), CollateralBundle.parse(o.toString()), SGX.at));
    assertEquals(VerificationStep.FMSPC_PCEID, e.step());
    assertTrue(e.getMessage().contains("b0c06f000000"), e.getMessage());
  }

  @Test
  void qeIdentityOfTheOtherQuotingEnclaveFails() throws Exception {
    // A genuine, Intel-signed TD_QE identity does not describe an SGX QE.
    CollateralBundle tdx = CollateralBundle.parse(TestVectors.TDX_V4.collateralBytes());
    ObjectNode o = sgxBundle().toJson();
    o.put("qe_identity", tdx.qeIdentity().rawJson());
    o.put("qe_identity_signature", Hex.toHexString(tdx.qeIdentitySignature()));
    VerificationException e =
        assertThrows(
            VerificationException.class,
            () ->
                QuoteVerifier.intel()
                    .verify(SGX.quoteBytes(), CollateralBundle.parse(o.toString()), SGX.at));
    assertEquals(VerificationStep.QE_IDENTITY, e.step());
  }

  @Test
  void tamperedCrlsFail() throws Exception {
    for (String field : Set.of("root_ca_crl", "pck_crl")) {
      String hex =
          Hex.toHexString(field.equals("pck_crl") ? sgxBundle().pckCrl() : sgxBundle().rootCaCrl());
      int at = hex.length() - 20;
      String flipped =
          hex.substring(0, at) + (hex.charAt(at) == '0' ? '1' : '0') + hex.substring(at + 1);
      assertEquals(
          VerificationStep.CRL,
          failingStep(QuoteVerifier.intel(), SGX.quoteBytes(), withField(field, flipped), SGX.at),
          field);
    }
    // A missing CRL is unusable input in strict and lenient mode (issue 13 §1;
    // CrlLessCollateralTest).
    for (CrlMode mode : new CrlMode[] {CrlMode.STRICT, CrlMode.LENIENT}) {
      VerificationResult r =
          new QuoteVerifier(PinnedRoot.intel(), mode)
              .evaluate(SGX.quoteBytes(), withField("pck_crl", ""), SGX.at);
      assertFalse(r.verified());
      assertEquals("COLLATERAL_FORMAT", r.error().code(), mode.name());
      assertTrue(r.error().isInputError());
    }
  }

  @Test
  void tdxQuoteWithSgxCollateralFails() throws Exception {
    TestVectors v = TestVectors.TDX_V4;
    VerificationResult r =
        new QuoteVerifier(PinnedRoot.intel(), CrlMode.OFF)
            .evaluate(v.quoteBytes(), sgxBundle(), SGX.at);
    assertFalse(r.verified());
    assertEquals("FMSPC_PCEID", r.error().code());
  }
}
