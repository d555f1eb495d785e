package org.ppml.attestation.dcap;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * Which certificate may sign which collateral. Chaining to the pinned root is not enough: every PCK
 * leaf and every PCK CA chains to it as well, and a key that may sign TCB Info can declare any
 * platform {@code UpToDate}. So each signer must also hold the role Intel gives it:
 *
 * <ul>
 *   <li>the PCK chain in a quote: exactly PCK certificate, PCK CA, root, as Intel issues them and
 *       as Intel's verifier (QVL) insists; the leaf is an end entity with the SGX extension and its
 *       issuer a CA, so no other certificate under the root can stand in for a platform;
 *   <li>TCB Info and QE Identity: an end-entity certificate issued directly by the pinned root
 *       (chain of exactly signer + root), not a CA, without the SGX extension a PCK certificate
 *       carries, and named {@value PinnedRoot#INTEL_TCB_SIGNING_CN} under the Intel root ({@value
 *       PinnedRoot#DEVELOPMENT_TCB_SIGNING_CN} under a dev root);
 *   <li>the PCK CRL: a CA directly under the root, allowed to sign CRLs, holding the key of the CA
 *       that issued the PCK certificate, since a CRL only speaks for certificates its signer
 *       issued.
 * </ul>
 *
 * <p>The root CA CRL needs no rule here: it must verify with the pinned root's own key.
 */
final class SignerRoles {
  private SignerRoles() {}

  /** Step 1: {@code path} (leaf first, ending at the pinned root) is a PCK certificate's. */
  static void requirePckPath(List<X509CertificateHolder> path) throws VerificationException {
    VerificationStep step = VerificationStep.PCK_CERT_CHAIN;
    if (path.size() != 3) {
      throw new VerificationException(
          step,
          "the PCK certificate chain has "
              + path.size()
              + " certificate(s) up to the pinned root; a PCK chain has 3: PCK certificate, PCK CA, root");
    }
    X509CertificateHolder leaf = path.get(0);
    String leafName = "PCK certificate " + DistinguishedNames.describe(leaf.getSubject());
    if (CertificateChain.isCa(leaf)) {
      throw new VerificationException(
          step, leafName + " is a CA, not a platform's PCK certificate");
    }
    if (leaf.getExtension(SgxExtensions.OID) == null) {
      throw new VerificationException(
          step, leafName + " has no SGX extension, so it is not a PCK certificate");
    }
    if (!CertificateChain.isCa(path.get(1))) {
      throw new VerificationException(
          step,
          "the issuer of the PCK certificate, "
              + DistinguishedNames.describe(path.get(1).getSubject())
              + ", is not a CA");
    }
  }

  /**
   * Step 4: {@code path} (signer first, ending at the pinned root) belongs to a TCB signing
   * certificate.
   */
  static void requireCollateralSigner(
      List<X509CertificateHolder> path, PinnedRoot root, String what, VerificationStep step)
      throws VerificationException {
    X509CertificateHolder signer = path.get(0);
    String signerName = what + " signer " + DistinguishedNames.describe(signer.getSubject());
    if (path.size() == 1) {
      throw new VerificationException(
          step, what + " is signed by the root CA itself, not by a TCB signing" + " certificate");
    }
    if (path.size() != 2) {
      throw new VerificationException(
          step,
          signerName
              + " is not issued directly by the pinned root,"
              + " so it is not a TCB signing certificate");
    }
    if (CertificateChain.isCa(signer)) {
      throw new VerificationException(step, signerName + " is a CA, not a TCB signing certificate");
    }
    if (signer.getExtension(SgxExtensions.OID) != null) {
      throw new VerificationException(
          step, signerName + " carries the SGX extension of a PCK certificate");
    }
    if (!allowsKeyUsage(signer, KeyUsage.digitalSignature)) {
      throw new VerificationException(
          step, signerName + " is not allowed digital signatures (key usage)");
    }
    String expected = root.collateralSignerCommonName();
    if (expected != null
        && !DistinguishedNames.values(signer.getSubject(), BCStyle.CN).equals(List.of(expected))) {
      throw new VerificationException(
          step, signerName + " is not the \"" + expected + "\" certificate");
    }
  }

  /**
   * Step 3: {@code signerPath} (signer first, ending at the pinned root) belongs to the CA that
   * issued the PCK certificate, {@code pckIssuer} from the verified PCK path.
   */
  static void requirePckCrlSigner(
      List<X509CertificateHolder> signerPath, X509CertificateHolder pckIssuer)
      throws VerificationException {
    X509CertificateHolder signer = signerPath.get(0);
    String signerName = "PCK CRL signer " + DistinguishedNames.describe(signer.getSubject());
    if (signerPath.size() != 2) {
      throw new VerificationException(
          VerificationStep.CRL, signerName + " is not a PCK CA issued directly by the pinned root");
    }
    if (!CertificateChain.isCa(signer)) {
      throw new VerificationException(VerificationStep.CRL, signerName + " is not a CA");
    }
    if (!allowsKeyUsage(signer, KeyUsage.cRLSign)) {
      throw new VerificationException(
          VerificationStep.CRL, signerName + " is not allowed to sign CRLs");
    }
    if (!sameKey(signer, pckIssuer)) {
      throw new VerificationException(
          VerificationStep.CRL, signerName + " is not the CA that issued the PCK certificate");
    }
  }

  /** True if the certificate has no key usage extension, or one that includes {@code usage}. */
  private static boolean allowsKeyUsage(X509CertificateHolder cert, int usage) {
    Extension ext = cert.getExtension(Extension.keyUsage);
    if (ext == null) {
      return true;
    }
    try {
      return KeyUsage.getInstance(ext.getParsedValue()).hasUsages(usage);
    } catch (RuntimeException e) {
      // An unreadable key usage grants nothing.
      return false;
    }
  }

  private static boolean sameKey(X509CertificateHolder a, X509CertificateHolder b) {
    try {
      return Arrays.equals(
          a.getSubjectPublicKeyInfo().getEncoded(), b.getSubjectPublicKeyInfo().getEncoded());
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
