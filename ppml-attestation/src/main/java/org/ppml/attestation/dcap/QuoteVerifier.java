package org.ppml.attestation.dcap;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.util.encoders.Hex;
import org.ppml.attestation.collateral.CollateralBundle;
import org.ppml.attestation.collateral.CollateralFormatException;
import org.ppml.attestation.collateral.EnclaveTcbLevel;
import org.ppml.attestation.collateral.QeIdentity;
import org.ppml.attestation.collateral.TcbInfo;
import org.ppml.attestation.collateral.TcbLevel;
import org.ppml.attestation.collateral.TcbStatus;
import org.ppml.attestation.quote.EnclaveReport;
import org.ppml.attestation.quote.Quote;
import org.ppml.attestation.quote.QuoteFormatException;
import org.ppml.attestation.quote.TdReport;
import org.ppml.attestation.quote.TeeType;

/**
 * Verifies SGX and TDX DCAP quotes against a collateral bundle, following Intel's QVL order
 * (DESIGN.md §5). Each numbered step is one method; each failure is a {@link VerificationException}
 * naming its {@link VerificationStep}.
 *
 * <p>Instances are immutable and thread-safe. The verification time is always a parameter so that
 * recorded evidence can be re-verified at the time it was produced.
 */
public final class QuoteVerifier {
  private final PinnedRoot root;
  private final CrlMode crlMode;

  /** A verifier pinned to {@code root}, with the given CRL handling. */
  public QuoteVerifier(PinnedRoot root, CrlMode crlMode) {
    this.root = Objects.requireNonNull(root, "root");
    this.crlMode = Objects.requireNonNull(crlMode, "crlMode");
  }

  /** A verifier pinned to the Intel SGX Root CA with strict CRLs: the production default. */
  public static QuoteVerifier intel() {
    return new QuoteVerifier(PinnedRoot.intel(), CrlMode.STRICT);
  }

  /**
   * Forgets what verifications remember across calls (signatures that verified, parsed PEM chains),
   * so the next verification checks every signature afresh, as the first quote of a platform never
   * seen before would. Results never depend on this memory; it exists for benchmarks that measure
   * that cold case, and for tests.
   */
  public static void forgetRememberedChecks() {
    VerifiedSignatures.forgetAll();
    CertificateChain.forgetParsed();
  }

  /**
   * Forgets only what came from quotes (PCK certificates, QE report signatures) and every parsed
   * PEM chain, keeping checked collateral and CA certificates: the next verification costs what the
   * first quote of a new platform costs once its collateral has been checked. For benchmarks.
   */
  public static void forgetPlatformChecks() {
    VerifiedSignatures.forgetPlatforms();
    CertificateChain.forgetParsed();
  }

  public PinnedRoot root() {
    return root;
  }

  public CrlMode crlMode() {
    return crlMode;
  }

  /**
   * Verifies quote bytes, never throwing for bad input or a negative verdict: the result carries
   * the error. This is what a CLI or a key broker wants to report.
   */
  public VerificationResult evaluate(byte[] quoteBytes, CollateralBundle collateral, Instant at) {
    Quote quote;
    try {
      quote = Quote.parse(quoteBytes);
    } catch (QuoteFormatException e) {
      return VerificationResult.failure(null, e, List.of(), root.isDevelopment(), at);
    }
    List<String> notes = new ArrayList<>();
    try {
      return run(quote, collateral, at, notes);
    } catch (VerificationException | CollateralFormatException e) {
      return VerificationResult.failure(quote, e, notes, root.isDevelopment(), at);
    }
  }

  /**
   * Parses and verifies a quote.
   *
   * @throws QuoteFormatException if the bytes are not a quote
   * @throws CollateralFormatException if the bundle lacks CRLs this verifier's CRL mode requires
   * @throws VerificationException naming the first step that failed
   */
  public VerificationResult verify(byte[] quoteBytes, CollateralBundle collateral, Instant at)
      throws QuoteFormatException, CollateralFormatException, VerificationException {
    return verify(Quote.parse(quoteBytes), collateral, at);
  }

  /**
   * Verifies a parsed quote.
   *
   * @throws CollateralFormatException if the bundle lacks CRLs this verifier's CRL mode requires
   * @throws VerificationException naming the first step that failed
   */
  public VerificationResult verify(Quote quote, CollateralBundle collateral, Instant at)
      throws CollateralFormatException, VerificationException {
    return run(quote, collateral, at, new ArrayList<>());
  }

  private VerificationResult run(
      Quote quote, CollateralBundle collateral, Instant at, List<String> notes)
      throws VerificationException, CollateralFormatException {
    Objects.requireNonNull(collateral, "collateral");
    Objects.requireNonNull(at, "at");
    // A bundle without the CRLs the mode needs is unusable input, whatever the quote.
    crlMode.requireRevocationData(collateral);
    List<X509CertificateHolder> pckPath = verifyPckChain(quote);
    checkCertificateValidity(pckPath, at);
    RevocationLists crls = checkRevocation(collateral, pckPath, at, notes);
    verifyTcbInfo(collateral, crls, at);
    verifyQeIdentity(collateral, crls, at);
    checkCollateralWindow(collateral, at);
    SgxExtensions pck = SgxExtensions.of(pckPath.get(0));
    checkFmspcAndPceId(pck, collateral.tcbInfo(), quote.teeType());
    verifyQeReportSignature(quote, pckPath.get(0));
    verifyQeBinding(quote);
    verifyQuoteSignature(quote);
    TdReport td = quote.body() instanceof TdReport r ? r : null;
    TcbLevel platform = PlatformTcbMatcher.match(collateral.tcbInfo(), pck, td);
    Optional<EnclaveTcbLevel> module =
        td == null ? Optional.empty() : TdxModuleMatcher.match(collateral.tcbInfo(), td);
    EnclaveTcbLevel qe =
        QeIdentityMatcher.match(
            collateral.qeIdentity(), quote.qeCertificationData().qeReport(), quote.teeType());
    return combine(quote, collateral, pck, platform, module, qe, notes, at);
  }

  /** Step 1: the certification data's PCK chain leads to the pinned root. */
  private List<X509CertificateHolder> verifyPckChain(Quote quote) throws VerificationException {
    String pem;
    try {
      pem = quote.qeCertificationData().certificationData().pckCertChainPem();
    } catch (QuoteFormatException e) {
      throw new VerificationException(
          VerificationStep.PCK_CERT_CHAIN,
          "unsupported certification data type "
              + quote.qeCertificationData().certificationData().type());
    }
    List<X509CertificateHolder> path =
        CertificateChain.fromPem(pem, "PCK certificate chain", VerificationStep.PCK_CERT_CHAIN)
            .verifyTo(root, "PCK certificate chain", VerificationStep.PCK_CERT_CHAIN);
    SignerRoles.requirePckPath(path);
    return path;
  }

  /** Step 2: every certificate of the PCK path is valid at the verification time. */
  private static void checkCertificateValidity(List<X509CertificateHolder> pckPath, Instant at)
      throws VerificationException {
    CertificateChain.checkValidity(pckPath, at, "PCK certificate chain");
  }

  /**
   * Step 3: root CA CRL and PCK CRL are genuine (and fresh, in strict mode); no PCK path cert is
   * revoked.
   */
  private RevocationLists checkRevocation(
      CollateralBundle collateral,
      List<X509CertificateHolder> pckPath,
      Instant at,
      List<String> notes)
      throws VerificationException {
    RevocationLists crls = RevocationLists.load(collateral, root, pckPath, crlMode, at, notes);
    crls.requireNotRevoked(pckPath, "PCK certificate chain");
    return crls;
  }

  /**
   * Step 4a: TCB Info is signed, over its raw JSON text, by a TCB signing certificate under the
   * root; a PCK certificate or CA also chains to the root, so the signer's role is checked too.
   */
  private void verifyTcbInfo(CollateralBundle collateral, RevocationLists crls, Instant at)
      throws VerificationException {
    verifySignedJson(
        collateral.tcbInfoIssuerChain(),
        collateral.tcbInfo().rawJson(),
        collateral.tcbInfoSignature(),
        "TCB Info",
        VerificationStep.TCB_INFO_SIGNATURE,
        crls,
        at);
  }

  /** Step 4b: QE Identity likewise. */
  private void verifyQeIdentity(CollateralBundle collateral, RevocationLists crls, Instant at)
      throws VerificationException {
    verifySignedJson(
        collateral.qeIdentityIssuerChain(),
        collateral.qeIdentity().rawJson(),
        collateral.qeIdentitySignature(),
        "QE Identity",
        VerificationStep.QE_IDENTITY_SIGNATURE,
        crls,
        at);
  }

  private void verifySignedJson(
      String issuerChain,
      String rawJson,
      byte[] signature,
      String what,
      VerificationStep step,
      RevocationLists crls,
      Instant at)
      throws VerificationException {
    String chainName = what + " issuer chain";
    List<X509CertificateHolder> path =
        CertificateChain.fromPem(issuerChain, chainName, step).verifyTo(root, chainName, step);
    SignerRoles.requireCollateralSigner(path, root, what, step);
    CertificateChain.checkValidity(path, at, chainName);
    crls.requireNotRevoked(path, chainName);
    ECPublicKeyParameters signer;
    try {
      signer = EcdsaP256.publicKey(path.get(0));
    } catch (GeneralSecurityException e) {
      throw new VerificationException(step, what + " signing certificate has no usable EC key");
    }
    if (!EcdsaP256.verify(
        signer,
        rawJson.getBytes(StandardCharsets.UTF_8),
        signature,
        VerifiedSignatures.Scope.COLLATERAL)) {
      throw new VerificationException(step, what + " signature over its JSON text does not verify");
    }
  }

  /** Step 4c: TCB Info and QE Identity are inside their issueDate..nextUpdate windows. */
  private static void checkCollateralWindow(CollateralBundle collateral, Instant at)
      throws VerificationException {
    TcbInfo tcb = collateral.tcbInfo();
    QeIdentity qe = collateral.qeIdentity();
    checkWindow("TCB Info", tcb.issueDate(), tcb.nextUpdate(), at);
    checkWindow("QE Identity", qe.issueDate(), qe.nextUpdate(), at);
  }

  private static void checkWindow(String what, Instant issued, Instant next, Instant at)
      throws VerificationException {
    if (at.isBefore(issued)) {
      throw new VerificationException(
          VerificationStep.COLLATERAL_VALIDITY,
          "collateral not yet valid: " + what + " issueDate " + issued + " is after " + at);
    }
    if (at.isAfter(next)) {
      throw new VerificationException(
          VerificationStep.COLLATERAL_VALIDITY,
          "expired collateral: " + what + " nextUpdate " + next + " is before " + at);
    }
  }

  /** Step 5: the TCB Info is for this platform (FMSPC, PCEID) and this TEE type. */
  private static void checkFmspcAndPceId(SgxExtensions pck, TcbInfo tcb, TeeType tee)
      throws VerificationException {
    if (!Arrays.equals(pck.fmspc(), tcb.fmspc())) {
      throw new VerificationException(
          VerificationStep.FMSPC_PCEID,
          "the PCK certificate's FMSPC "
              + Hex.toHexString(pck.fmspc())
              + " is not the TCB Info's "
              + Hex.toHexString(tcb.fmspc()));
    }
    if (!Arrays.equals(pck.pceId(), tcb.pceId())) {
      throw new VerificationException(
          VerificationStep.FMSPC_PCEID,
          "the PCK certificate's PCEID "
              + Hex.toHexString(pck.pceId())
              + " is not the TCB Info's "
              + Hex.toHexString(tcb.pceId()));
    }
    if ((tee == TeeType.TDX) != tcb.isTdx() || (tee == TeeType.TDX && tcb.version() < 3)) {
      throw new VerificationException(
          VerificationStep.FMSPC_PCEID,
          "a "
              + tee
              + " quote needs "
              + tee
              + " TCB Info"
              + (tee == TeeType.TDX ? " v3" : "")
              + ", the collateral has "
              + tcb.id()
              + " v"
              + tcb.version());
    }
  }

  /** Step 6a: the PCK key signed the QE report. */
  private static void verifyQeReportSignature(Quote quote, X509CertificateHolder pckLeaf)
      throws VerificationException {
    ECPublicKeyParameters pckKey;
    try {
      pckKey = EcdsaP256.publicKey(pckLeaf);
    } catch (GeneralSecurityException e) {
      throw new VerificationException(
          VerificationStep.QE_REPORT_SIGNATURE, "the PCK key is not an EC key");
    }
    if (!EcdsaP256.verify(
        pckKey,
        quote.qeCertificationData().qeReportBytes(),
        quote.qeCertificationData().qeReportSignature(),
        VerifiedSignatures.Scope.PLATFORM)) {
      throw new VerificationException(
          VerificationStep.QE_REPORT_SIGNATURE,
          "the PCK key's signature over the QE report does not verify");
    }
  }

  /**
   * Step 6b: the QE report's data is SHA256(attestation key ‖ QE auth data) followed by 32 zero
   * bytes.
   */
  private static void verifyQeBinding(Quote quote) throws VerificationException {
    byte[] expected = new byte[64];
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(quote.attestationKey());
      sha.update(quote.qeCertificationData().qeAuthData());
      System.arraycopy(sha.digest(), 0, expected, 0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
    EnclaveReport qe = quote.qeCertificationData().qeReport();
    if (!MessageDigest.isEqual(expected, qe.reportData())) {
      throw new VerificationException(
          VerificationStep.QE_BINDING,
          "the QE report does not bind the attestation key and QE authentication data");
    }
  }

  /** Step 7: the attestation key signed header and body. */
  private static void verifyQuoteSignature(Quote quote) throws VerificationException {
    ECPublicKeyParameters key;
    try {
      key = EcdsaP256.rawPublicKey(quote.attestationKey());
    } catch (GeneralSecurityException e) {
      throw new VerificationException(
          VerificationStep.QUOTE_SIGNATURE, "the attestation key is not a P-256 point");
    }
    if (!EcdsaP256.verifyFresh(key, quote.signedRegion(), quote.quoteSignature())) {
      throw new VerificationException(
          VerificationStep.QUOTE_SIGNATURE,
          "the attestation key's signature over the quote does not verify");
    }
  }

  /** Step 10: converge the statuses, union the advisory IDs, refuse Revoked. */
  private VerificationResult combine(
      Quote quote,
      CollateralBundle collateral,
      SgxExtensions pck,
      TcbLevel platform,
      Optional<EnclaveTcbLevel> module,
      EnclaveTcbLevel qe,
      List<String> notes,
      Instant at)
      throws VerificationException {
    TcbStatus status = platform.status();
    TreeSet<String> advisories = new TreeSet<>(platform.advisoryIds());
    if (module.isPresent()) {
      status = TcbStatusConvergence.converge(status, module.get().status());
      advisories.addAll(module.get().advisoryIds());
    }
    status = TcbStatusConvergence.converge(status, qe.status());
    advisories.addAll(qe.advisoryIds());
    if (status == TcbStatus.Revoked) {
      throw new VerificationException(
          VerificationStep.TCB_STATUS,
          "the TCB status is Revoked (platform "
              + platform.status()
              + ", QE "
              + qe.status()
              + module.map(m -> ", TDX module " + m.status()).orElse("")
              + ")");
    }
    TcbInfo tcb = collateral.tcbInfo();
    QeIdentity qeId = collateral.qeIdentity();
    Instant expiry =
        tcb.nextUpdate().isBefore(qeId.nextUpdate()) ? tcb.nextUpdate() : qeId.nextUpdate();
    int evaluation = Math.min(tcb.tcbEvaluationDataNumber(), qeId.tcbEvaluationDataNumber());
    return VerificationResult.success(
        quote,
        status,
        platform.status(),
        qe.status(),
        module.map(EnclaveTcbLevel::status).orElse(null),
        new ArrayList<>(advisories),
        pck,
        evaluation,
        expiry,
        notes,
        root.isDevelopment(),
        at);
  }
}
