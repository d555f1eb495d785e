package org.ppml.attestation.dcap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.CertException;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.OperatorCreationException;
import org.ppml.attestation.collateral.CollateralBundle;

/**
 * The root CA CRL and the PCK CRL of a bundle, checked (issuer, signature, freshness per {@link
 * CrlMode}) and then used to refuse revoked certificates.
 *
 * <p>The PCK CRL is chosen by issuer: it must be the CRL of the CA (Platform or Processor) that
 * issued the PCK certificate, signed by the first certificate of the bundle's PCK CRL issuer chain,
 * which itself must chain to the pinned root and be that CA ({@link SignerRoles}). The root CA CRL
 * must verify with the pinned root's key.
 */
final class RevocationLists {
  private final X500Name rootName;
  private final X509CRLHolder rootCrl;
  private final X509CRLHolder pckCrl;

  private RevocationLists(X500Name rootName, X509CRLHolder rootCrl, X509CRLHolder pckCrl) {
    this.rootName = rootName;
    this.rootCrl = rootCrl;
    this.pckCrl = pckCrl;
  }

  /**
   * @param pckPath the verified PCK path, leaf first, ending at the pinned root
   */
  static RevocationLists load(
      CollateralBundle bundle,
      PinnedRoot root,
      List<X509CertificateHolder> pckPath,
      CrlMode mode,
      Instant at,
      List<String> notes)
      throws VerificationException {
    X509CertificateHolder pck = pckPath.get(0);
    X500Name rootName = root.certificate().getSubject();
    if (mode == CrlMode.OFF) {
      notes.add(
          "CRL checking is off: revocation was not checked, so a revoked certificate is not"
              + " detected");
      return new RevocationLists(rootName, null, null);
    }
    // CrlMode.requireRevocationData has made sure, before any step, that both CRLs are here.
    X509CRLHolder rootCrl = parse(bundle.rootCaCrl(), "root CA CRL");
    checkIssuedBy(rootCrl, root.certificate(), "root CA CRL");
    checkFresh(rootCrl, "root CA CRL", mode, at, notes);
    X509CRLHolder pckCrl = parse(bundle.pckCrl(), "PCK CRL");
    List<X509CertificateHolder> signerPath =
        CertificateChain.fromPem(
                bundle.pckCrlIssuerChain(), "PCK CRL issuer chain", VerificationStep.CRL)
            .verifyTo(root, "PCK CRL issuer chain", VerificationStep.CRL);
    CertificateChain.checkValidity(signerPath, at, "PCK CRL issuer chain");
    if (!DistinguishedNames.same(pckCrl.getIssuer(), pck.getIssuer())) {
      throw new VerificationException(
          VerificationStep.CRL,
          "the PCK CRL is issued by "
              + names(pckCrl.getIssuer())
              + " but the PCK certificate by "
              + names(pck.getIssuer()));
    }
    // The PCK path has at least the leaf and the root, so index 1 is the leaf's verified issuer.
    SignerRoles.requirePckCrlSigner(signerPath, pckPath.get(1));
    checkIssuedBy(pckCrl, signerPath.get(0), "PCK CRL");
    checkFresh(pckCrl, "PCK CRL", mode, at, notes);
    RevocationLists lists = new RevocationLists(rootName, rootCrl, pckCrl);
    for (X509CertificateHolder c : signerPath) {
      lists.requireNotRevoked(c, "PCK CRL issuer chain");
    }
    return lists;
  }

  private static X509CRLHolder parse(byte[] der, String what) throws VerificationException {
    try {
      return new X509CRLHolder(der);
    } catch (IOException | RuntimeException e) {
      // Bouncy Castle signals malformed DER both ways.
      throw new VerificationException(VerificationStep.CRL, what + " is not a DER CRL");
    }
  }

  private static void checkIssuedBy(X509CRLHolder crl, X509CertificateHolder issuer, String what)
      throws VerificationException {
    if (!DistinguishedNames.same(crl.getIssuer(), issuer.getSubject())) {
      throw new VerificationException(
          VerificationStep.CRL,
          what
              + " is issued by "
              + names(crl.getIssuer())
              + ", expected "
              + names(issuer.getSubject()));
    }
    boolean valid;
    try {
      ByteBuffer memo = VerifiedSignatures.key("x509-crl", issuer.getEncoded(), crl.getEncoded());
      valid =
          VerifiedSignatures.known(memo)
              || crl.isSignatureValid(CertificateChain.VERIFIERS.build(issuer));
      if (valid) {
        VerifiedSignatures.remember(memo, VerifiedSignatures.Scope.COLLATERAL);
      }
    } catch (OperatorCreationException | CertException | IOException | RuntimeException e) {
      valid = false;
    }
    if (!valid) {
      throw new VerificationException(VerificationStep.CRL, what + " signature does not verify");
    }
  }

  private static void checkFresh(
      X509CRLHolder crl, String what, CrlMode mode, Instant at, List<String> notes)
      throws VerificationException {
    Instant thisUpdate = crl.getThisUpdate().toInstant();
    Date next = crl.getNextUpdate();
    String problem = null;
    if (at.isBefore(thisUpdate)) {
      problem =
          "collateral not yet valid: " + what + " thisUpdate " + thisUpdate + " is after " + at;
    } else if (next == null) {
      problem = "expired collateral: " + what + " has no nextUpdate";
    } else if (at.isAfter(next.toInstant())) {
      problem =
          "expired collateral: " + what + " nextUpdate " + next.toInstant() + " is before " + at;
    }
    if (problem == null) {
      return;
    }
    if (mode == CrlMode.STRICT) {
      throw new VerificationException(VerificationStep.COLLATERAL_VALIDITY, problem);
    }
    notes.add("stale CRL accepted (lenient): " + problem);
  }

  private static String names(X500Name name) {
    return DistinguishedNames.describe(name);
  }

  /** Fails if a CRL that covers {@code cert}'s issuer lists its serial number. */
  void requireNotRevoked(X509CertificateHolder cert, String what) throws VerificationException {
    X509CRLHolder crl = null;
    if (rootCrl != null && DistinguishedNames.same(cert.getIssuer(), rootName)) {
      crl = rootCrl;
    } else if (pckCrl != null && DistinguishedNames.same(cert.getIssuer(), pckCrl.getIssuer())) {
      crl = pckCrl;
    }
    if (crl != null && listed(crl, cert) && !DistinguishedNames.same(cert.getSubject(), rootName)) {
      throw new VerificationException(
          VerificationStep.CRL,
          what
              + ": certificate "
              + names(cert.getSubject())
              + " (serial "
              + cert.getSerialNumber().toString(16)
              + ") is revoked");
    }
  }

  private static boolean listed(X509CRLHolder crl, X509CertificateHolder cert)
      throws VerificationException {
    try {
      return crl.getRevokedCertificate(cert.getSerialNumber()) != null;
    } catch (RuntimeException e) {
      // Entries are parsed lazily by Bouncy Castle; an unreadable one makes the CRL unusable.
      throw new VerificationException(VerificationStep.CRL, "a CRL has an unreadable entry");
    }
  }

  void requireNotRevoked(List<X509CertificateHolder> path, String what)
      throws VerificationException {
    for (X509CertificateHolder c : path) {
      requireNotRevoked(c, what);
    }
  }
}
