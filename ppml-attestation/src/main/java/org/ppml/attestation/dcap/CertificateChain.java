package org.ppml.attestation.dcap;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.CertException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentVerifierProviderBuilder;

/**
 * An X.509 chain, leaf first, as found in a quote's certification data or a collateral issuer
 * chain, and the check that it leads to a {@link PinnedRoot}.
 *
 * <p>Parsing and signature checks are Bouncy Castle's and the JDK's; this class only decides which
 * certificate must have signed which, and bounds how much it will read.
 */
final class CertificateChain {
  static final int MAX_CERTIFICATES = 8;
  static final int MAX_PEM_CHARS = 64 * 1024;

  /** Bouncy Castle's lightweight ECDSA: DCAP chains are ECDSA P-256 only, and it is fast. */
  static final BcECContentVerifierProviderBuilder VERIFIERS =
      new BcECContentVerifierProviderBuilder(new DefaultDigestAlgorithmIdentifierFinder());

  /**
   * Parsed chains by their PEM text. The same few chains (PCK chains of a fleet, collateral issuer
   * chains) recur in every verification; certificate holders are immutable, so sharing is safe.
   */
  private static final Map<String, List<X509CertificateHolder>> PARSED = new ConcurrentHashMap<>();

  private static final int MAX_PARSED = 128;
  private static final int MAX_PARSED_CHARS = 16 * 1024;

  private final List<X509CertificateHolder> certificates;

  private CertificateChain(List<X509CertificateHolder> certificates) {
    this.certificates = List.copyOf(certificates);
  }

  /** Parses a PEM chain; anything but certificates, or trailing garbage inside PEM, is an error. */
  static CertificateChain fromPem(String pem, String what, VerificationStep step)
      throws VerificationException {
    try {
      return new CertificateChain(parsePem(pem, what));
    } catch (VerificationException e) {
      throw new VerificationException(
          step, e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
    }
  }

  static List<X509CertificateHolder> parsePem(String pem, String what)
      throws VerificationException {
    List<X509CertificateHolder> cached = pem == null ? null : PARSED.get(pem);
    if (cached != null) {
      return cached;
    }
    List<X509CertificateHolder> parsed = List.copyOf(parsePemUncached(pem, what));
    // Real chains are about 4 KiB of PEM; only those are remembered, so the memo stays small.
    if (pem.length() <= MAX_PARSED_CHARS) {
      if (PARSED.size() >= MAX_PARSED) {
        PARSED.clear();
      }
      PARSED.put(pem, parsed);
    }
    return parsed;
  }

  static void forgetParsed() {
    PARSED.clear();
  }

  private static List<X509CertificateHolder> parsePemUncached(String pem, String what)
      throws VerificationException {
    if (pem == null || pem.isEmpty()) {
      throw new VerificationException(
          VerificationStep.PCK_CERT_CHAIN, what + " has no certificates");
    }
    if (pem.length() > MAX_PEM_CHARS) {
      throw new VerificationException(
          VerificationStep.PCK_CERT_CHAIN,
          what + " is longer than " + MAX_PEM_CHARS + " characters");
    }
    List<X509CertificateHolder> out = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object o;
      while ((o = parser.readObject()) != null) {
        if (!(o instanceof X509CertificateHolder cert)) {
          throw new VerificationException(
              VerificationStep.PCK_CERT_CHAIN,
              what + " holds a PEM object that is not a certificate");
        }
        if (out.size() == MAX_CERTIFICATES) {
          throw new VerificationException(
              VerificationStep.PCK_CERT_CHAIN,
              what + " has more than " + MAX_CERTIFICATES + " certificates");
        }
        out.add(cert);
      }
    } catch (IOException | RuntimeException e) {
      // Bouncy Castle reports bad base64 or DER as IOException or as unchecked exceptions;
      // both mean the same thing here: the chain is not readable.
      throw new VerificationException(
          VerificationStep.PCK_CERT_CHAIN, what + " is not a readable PEM certificate chain");
    }
    if (out.isEmpty()) {
      throw new VerificationException(
          VerificationStep.PCK_CERT_CHAIN, what + " has no certificates");
    }
    return out;
  }

  static X509CertificateHolder parseDer(byte[] der, String what) throws VerificationException {
    try {
      return new X509CertificateHolder(der);
    } catch (IOException | RuntimeException e) {
      throw new VerificationException(
          VerificationStep.PCK_CERT_CHAIN, what + " is not a DER certificate");
    }
  }

  List<X509CertificateHolder> certificates() {
    return certificates;
  }

  X509CertificateHolder leaf() {
    return certificates.get(0);
  }

  /**
   * Checks each certificate is signed by the next, that issuers are CAs, and that the chain ends at
   * {@code root} (either by containing it, or by its last certificate being signed by it).
   *
   * @return the verified path, leaf first, ending with the pinned root
   */
  List<X509CertificateHolder> verifyTo(PinnedRoot root, String what, VerificationStep step)
      throws VerificationException {
    List<X509CertificateHolder> path = new ArrayList<>();
    for (int i = 0; i < certificates.size(); i++) {
      X509CertificateHolder cert = certificates.get(i);
      if (root.matches(cert)) {
        path.add(root.certificate());
        return path;
      }
      path.add(cert);
      X509CertificateHolder issuer =
          i + 1 < certificates.size() ? certificates.get(i + 1) : root.certificate();
      if (!DistinguishedNames.same(cert.getIssuer(), issuer.getSubject())) {
        throw new VerificationException(
            step,
            what
                + ": certificate "
                + i
                + " ("
                + name(cert.getSubject())
                + ") is issued by "
                + name(cert.getIssuer())
                + ", which is not "
                + (issuer == root.certificate() ? "the pinned root " : "the next certificate ")
                + name(issuer.getSubject()));
      }
      if (!isCa(issuer)) {
        throw new VerificationException(
            step, what + ": issuer " + name(issuer.getSubject()) + " is not a CA");
      }
      if (!signedBy(cert, issuer)) {
        throw new VerificationException(
            step,
            what
                + ": signature of certificate "
                + i
                + " ("
                + name(cert.getSubject())
                + ") does not verify with its issuer's key");
      }
      if (issuer == root.certificate()) {
        path.add(root.certificate());
        return path;
      }
    }
    throw new VerificationException(step, what + " does not end at the pinned root");
  }

  /** Every certificate of {@code path} must be valid at {@code at}. */
  static void checkValidity(List<X509CertificateHolder> path, Instant at, String what)
      throws VerificationException {
    Date when = Date.from(at);
    for (X509CertificateHolder c : path) {
      boolean valid;
      try {
        valid = c.isValidOn(when);
      } catch (RuntimeException e) {
        valid = false;
      }
      if (!valid) {
        throw new VerificationException(
            VerificationStep.CERTIFICATE_VALIDITY,
            what + ": certificate " + name(c.getSubject()) + " is " + window(c) + ", not at " + at);
      }
    }
  }

  /**
   * The validity period for an error message. Only built on failure: reading the dates parses them
   * again, which every verification would otherwise pay for each certificate (the profile of the
   * benchmark's cold variant showed about 5% of its time here).
   */
  private static String window(X509CertificateHolder c) {
    try {
      return "valid from " + c.getNotBefore().toInstant() + " to " + c.getNotAfter().toInstant();
    } catch (RuntimeException e) {
      return "of unreadable validity";
    }
  }

  private static String name(X500Name n) {
    return DistinguishedNames.describe(n);
  }

  /**
   * True if {@code cert} has basic constraints with cA set; absent or unreadable constraints mean
   * no.
   */
  static boolean isCa(X509CertificateHolder cert) {
    Extension ext = cert.getExtension(Extension.basicConstraints);
    if (ext == null) {
      return false;
    }
    try {
      return BasicConstraints.getInstance(ext.getParsedValue()).isCA();
    } catch (RuntimeException e) {
      return false;
    }
  }

  static boolean signedBy(X509CertificateHolder cert, X509CertificateHolder issuer) {
    try {
      ByteBuffer memo = VerifiedSignatures.key("x509-cert", issuer.getEncoded(), cert.getEncoded());
      if (VerifiedSignatures.known(memo)) {
        return true;
      }
      boolean valid = cert.isSignatureValid(VERIFIERS.build(issuer));
      if (valid) {
        // A certificate with the SGX extension is one platform's PCK certificate.
        VerifiedSignatures.remember(
            memo,
            cert.getExtension(SgxExtensions.OID) != null
                ? VerifiedSignatures.Scope.PLATFORM
                : VerifiedSignatures.Scope.COLLATERAL);
      }
      return valid;
    } catch (OperatorCreationException | CertException | IOException | RuntimeException e) {
      // A key or algorithm Bouncy Castle cannot use is as good as a bad signature.
      return false;
    }
  }
}
