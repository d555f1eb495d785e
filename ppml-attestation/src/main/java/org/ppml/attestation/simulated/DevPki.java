package org.ppml.attestation.simulated;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.ppml.attestation.dcap.PinnedRoot;
import org.ppml.attestation.dcap.SgxExtensions;

/**
 * A development PKI shaped like Intel's: a root CA, a PCK CA, a PCK leaf carrying the SGX
 * extension, and a TCB signing certificate, all ECDSA P-256. It also issues CRLs.
 *
 * <p>Every subject carries {@code O=PPML Development} ({@link
 * PinnedRoot#DEVELOPMENT_ORGANIZATION}): that is how a verifier recognises the dev root and marks
 * what it verifies under it simulated, however the root was pinned. The TCB signing certificate has
 * the role the verifier demands of Intel's (issued by the root, not a CA, no SGX extension), under
 * its own name.
 *
 * <p>Holds private keys: it never prints them, and {@link #toString()} shows subjects only.
 */
public final class DevPki {
  static final X500Name ROOT = devName("PPML Dev SGX Root CA");
  static final X500Name PCK_CA = devName("PPML Dev SGX PCK Processor CA");
  static final X500Name PCK = devName("PPML Dev SGX PCK Certificate");

  /** The verifier requires this CN of a TCB Info / QE Identity signer under a dev root. */
  static final X500Name TCB_SIGNING = devName(PinnedRoot.DEVELOPMENT_TCB_SIGNING_CN);

  private static final Duration CA_LIFETIME = Duration.ofDays(3650);
  private static final Duration LEAF_LIFETIME = Duration.ofDays(7 * 365);

  private final X509CertificateHolder rootCert;
  private final PrivateKey rootKey;
  private final X509CertificateHolder pckCaCert;
  private final PrivateKey pckCaKey;
  private final X509CertificateHolder pckCert;
  private final PrivateKey pckKey;
  private final X509CertificateHolder tcbSigningCert;
  private final PrivateKey tcbSigningKey;

  DevPki(
      X509CertificateHolder rootCert,
      PrivateKey rootKey,
      X509CertificateHolder pckCaCert,
      PrivateKey pckCaKey,
      X509CertificateHolder pckCert,
      PrivateKey pckKey,
      X509CertificateHolder tcbSigningCert,
      PrivateKey tcbSigningKey) {
    this.rootCert = rootCert;
    this.rootKey = rootKey;
    this.pckCaCert = pckCaCert;
    this.pckCaKey = pckCaKey;
    this.pckCert = pckCert;
    this.pckKey = pckKey;
    this.tcbSigningCert = tcbSigningCert;
    this.tcbSigningKey = tcbSigningKey;
  }

  /**
   * Generates a fresh PKI whose certificates are valid from {@code now} (minus a day of clock
   * skew).
   */
  public static DevPki generate(Instant now) throws GeneralSecurityException {
    SecureRandom random = new SecureRandom();
    Instant from = now.minus(Duration.ofDays(1));
    try {
      KeyPair root = ecKeyPair();
      X509CertificateHolder rootCert =
          ca(ROOT, root.getPublic(), ROOT, root.getPrivate(), from, random, 1);
      KeyPair pckCa = ecKeyPair();
      X509CertificateHolder pckCaCert =
          ca(PCK_CA, pckCa.getPublic(), ROOT, root.getPrivate(), from, random, 0);
      KeyPair pck = ecKeyPair();
      JcaX509v3CertificateBuilder leaf =
          new JcaX509v3CertificateBuilder(
              PCK_CA,
              serial(random),
              Date.from(from),
              Date.from(from.plus(LEAF_LIFETIME)),
              PCK,
              pck.getPublic());
      leaf.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      leaf.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
      leaf.addExtension(SgxExtensions.OID, false, sgxExtension(random));
      X509CertificateHolder pckCert = leaf.build(signer(pckCa.getPrivate()));
      KeyPair tcb = ecKeyPair();
      JcaX509v3CertificateBuilder tcbBuilder =
          new JcaX509v3CertificateBuilder(
              ROOT,
              serial(random),
              Date.from(from),
              Date.from(from.plus(LEAF_LIFETIME)),
              TCB_SIGNING,
              tcb.getPublic());
      tcbBuilder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      tcbBuilder.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
      X509CertificateHolder tcbCert = tcbBuilder.build(signer(root.getPrivate()));
      return new DevPki(
          rootCert,
          root.getPrivate(),
          pckCaCert,
          pckCa.getPrivate(),
          pckCert,
          pck.getPrivate(),
          tcbCert,
          tcb.getPrivate());
    } catch (CertIOException | OperatorCreationException e) {
      throw new GeneralSecurityException("cannot build the dev PKI", e);
    }
  }

  /** The same text as every dev home ever written, so existing roots keep their exact DER names. */
  private static X500Name devName(String commonName) {
    return new X500Name(
        "CN=" + commonName + ", O=" + PinnedRoot.DEVELOPMENT_ORGANIZATION + ", C=ZZ");
  }

  static KeyPair ecKeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static BigInteger serial(SecureRandom random) {
    return new BigInteger(63, random).add(BigInteger.ONE);
  }

  private static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
    return new JcaContentSignerBuilder("SHA256withECDSA").build(key);
  }

  private static X509CertificateHolder ca(
      X500Name subject,
      PublicKey key,
      X500Name issuer,
      PrivateKey issuerKey,
      Instant from,
      SecureRandom random,
      int pathLen)
      throws CertIOException, OperatorCreationException {
    JcaX509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            issuer,
            serial(random),
            Date.from(from),
            Date.from(from.plus(CA_LIFETIME)),
            subject,
            key);
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(pathLen));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    return b.build(signer(issuerKey));
  }

  /** The SGX extension, encoded exactly as Intel's PCK certificates encode it. */
  private static DERSequence sgxExtension(SecureRandom random) {
    ASN1ObjectIdentifier oid = SgxExtensions.OID;
    ASN1ObjectIdentifier tcb = oid.branch("2");
    ASN1Encodable[] tcbEntries = new ASN1Encodable[18];
    byte[] cpuSvn = new byte[16];
    for (int i = 0; i < 16; i++) {
      tcbEntries[i] =
          pair(tcb.branch(Integer.toString(i + 1)), new ASN1Integer(DevPlatform.CPU_SVN[i]));
      cpuSvn[i] = (byte) DevPlatform.CPU_SVN[i];
    }
    tcbEntries[16] = pair(tcb.branch("17"), new ASN1Integer(DevPlatform.PCE_SVN));
    tcbEntries[17] = pair(tcb.branch("18"), new DEROctetString(cpuSvn));
    byte[] ppid = new byte[16];
    random.nextBytes(ppid);
    return new DERSequence(
        new ASN1Encodable[] {
          pair(oid.branch("1"), new DEROctetString(ppid)),
          pair(tcb, new DERSequence(tcbEntries)),
          pair(oid.branch("3"), new DEROctetString(DevPlatform.PCE_ID)),
          pair(oid.branch("4"), new DEROctetString(DevPlatform.FMSPC)),
          pair(oid.branch("5"), new ASN1Enumerated(0)),
        });
  }

  private static DERSequence pair(ASN1ObjectIdentifier oid, ASN1Encodable value) {
    return new DERSequence(new ASN1Encodable[] {oid, value});
  }

  /** A CRL by the root CA, revoking {@code serials}, valid {@code thisUpdate..nextUpdate}. */
  public X509CRLHolder rootCrl(
      Collection<BigInteger> serials, Instant thisUpdate, Instant nextUpdate)
      throws GeneralSecurityException {
    return crl(rootCert.getSubject(), rootKey, serials, thisUpdate, nextUpdate);
  }

  /** A CRL by the PCK CA, revoking {@code serials}, valid {@code thisUpdate..nextUpdate}. */
  public X509CRLHolder pckCrl(
      Collection<BigInteger> serials, Instant thisUpdate, Instant nextUpdate)
      throws GeneralSecurityException {
    return crl(pckCaCert.getSubject(), pckCaKey, serials, thisUpdate, nextUpdate);
  }

  private static X509CRLHolder crl(
      X500Name issuer,
      PrivateKey key,
      Collection<BigInteger> serials,
      Instant thisUpdate,
      Instant nextUpdate)
      throws GeneralSecurityException {
    X509v2CRLBuilder b = new X509v2CRLBuilder(issuer, Date.from(thisUpdate));
    b.setNextUpdate(Date.from(nextUpdate));
    for (BigInteger s : serials) {
      b.addCRLEntry(s, Date.from(thisUpdate), 0);
    }
    try {
      return b.build(signer(key));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign the CRL", e);
    }
  }

  public X509CertificateHolder rootCertificate() {
    return rootCert;
  }

  public X509CertificateHolder pckCaCertificate() {
    return pckCaCert;
  }

  public X509CertificateHolder pckCertificate() {
    return pckCert;
  }

  public X509CertificateHolder tcbSigningCertificate() {
    return tcbSigningCert;
  }

  PrivateKey rootKey() {
    return rootKey;
  }

  PrivateKey pckCaKey() {
    return pckCaKey;
  }

  PrivateKey pckKey() {
    return pckKey;
  }

  PrivateKey tcbSigningKey() {
    return tcbSigningKey;
  }

  /** The PCK chain as a quote carries it: leaf, PCK CA, root. */
  public String pckChainPem() throws IOException {
    return DevFiles.pem(pckCert, pckCaCert, rootCert);
  }

  /** The PCK CA CRL issuer chain: PCK CA, root. */
  public String pckCrlIssuerChainPem() throws IOException {
    return DevFiles.pem(pckCaCert, rootCert);
  }

  /** The TCB Info and QE Identity issuer chain: TCB signing, root. */
  public String tcbSigningChainPem() throws IOException {
    return DevFiles.pem(tcbSigningCert, rootCert);
  }

  @Override
  public String toString() {
    return "DevPki[root=" + ROOT + ", pck=" + PCK + "]";
  }
}
