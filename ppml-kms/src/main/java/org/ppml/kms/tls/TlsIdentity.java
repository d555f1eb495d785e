package org.ppml.kms.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemGenerationException;
import org.ppml.crypto.fs.AtomicFile;
import org.ppml.kms.store.SealedSettings;
import org.ppml.kms.store.StoreException;

/**
 * The broker's TLS certificate and key. On first start a self-signed ECDSA P-256 certificate is
 * created in the data directory ({@code tls-cert.pem}, and {@code tls-key.pem} mode 0600); clients
 * pin its SHA-256 fingerprint. Replicas sharing a PostgreSQL database keep one identity sealed in
 * it instead. A PEM certificate and key from elsewhere can be used instead of either.
 */
public final class TlsIdentity {
  /** Certificate file name in the data directory. */
  public static final String CERT_FILE = "tls-cert.pem";

  /** Private key file name in the data directory. */
  public static final String KEY_FILE = "tls-key.pem";

  /** The sealed setting holding a shared identity: the certificate PEM, then the key PEM. */
  public static final String SETTING = "tls-identity";

  private static final Duration VALIDITY = Duration.ofDays(825);
  static final char[] STORE_PASSWORD = "in-memory".toCharArray();

  private final X509Certificate certificate;
  private final PrivateKey key;

  private TlsIdentity(X509Certificate certificate, PrivateKey key) {
    this.certificate = certificate;
    this.key = key;
  }

  /**
   * The identity in {@code dataDir}, created if absent, with subject alternative names for {@code
   * hosts} (DNS names or IP literals) plus localhost and 127.0.0.1.
   */
  public static TlsIdentity loadOrCreate(Path dataDir, List<String> hosts)
      throws IOException, GeneralSecurityException {
    Path cert = dataDir.resolve(CERT_FILE);
    Path keyFile = dataDir.resolve(KEY_FILE);
    if (Files.exists(cert) && Files.exists(keyFile)) {
      return fromPem(cert, keyFile);
    }
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = g.generateKeyPair();
    X509Certificate c = selfSign(pair, hosts);
    AtomicFile.writeSecret(keyFile, pkcs8Pem(pair.getPrivate()));
    AtomicFile.write(
        cert,
        EnumSet.of(
            PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.OTHERS_READ),
        out -> out.write(pem(c)));
    return new TlsIdentity(c, pair.getPrivate());
  }

  /**
   * The identity kept sealed in the database (setting {@value #SETTING}), created if absent: the
   * identity of a broker whose replicas share one database, so every replica presents the same
   * certificate and clients pin one fingerprint. Of replicas starting together, the first to commit
   * its identity wins and all use it.
   */
  public static TlsIdentity loadOrCreate(SealedSettings settings, List<String> hosts)
      throws IOException, GeneralSecurityException, StoreException {
    Optional<byte[]> stored = settings.read(SETTING);
    byte[] pem;
    if (stored.isPresent()) {
      pem = stored.get();
    } else {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = g.generateKeyPair();
      byte[] cert = pem(selfSign(pair, hosts));
      byte[] key = pkcs8Pem(pair.getPrivate());
      byte[] fresh = new byte[cert.length + key.length];
      System.arraycopy(cert, 0, fresh, 0, cert.length);
      System.arraycopy(key, 0, fresh, cert.length, key.length);
      Arrays.fill(key, (byte) 0);
      try {
        pem = settings.readOrCreate(SETTING, fresh);
      } finally {
        Arrays.fill(fresh, (byte) 0);
      }
    }
    try (Reader r =
            new InputStreamReader(new ByteArrayInputStream(pem), StandardCharsets.US_ASCII);
        PEMParser p = new PEMParser(r)) {
      X509Certificate c = certificate(p.readObject(), "the stored TLS identity");
      PrivateKey k = privateKey(p.readObject(), "the stored TLS identity");
      return new TlsIdentity(c, k);
    } finally {
      Arrays.fill(pem, (byte) 0);
    }
  }

  /** An identity from PEM files: a certificate and an unencrypted PKCS#8 or SEC1 key. */
  public static TlsIdentity fromPem(Path certFile, Path keyFile)
      throws IOException, GeneralSecurityException {
    X509Certificate c;
    try (Reader r = Files.newBufferedReader(certFile, StandardCharsets.US_ASCII);
        PEMParser p = new PEMParser(r)) {
      c = certificate(p.readObject(), certFile.toString());
    }
    PrivateKey k;
    try (Reader r = Files.newBufferedReader(keyFile, StandardCharsets.US_ASCII);
        PEMParser p = new PEMParser(r)) {
      k = privateKey(p.readObject(), keyFile.toString());
    }
    return new TlsIdentity(c, k);
  }

  private static X509Certificate certificate(Object o, String where)
      throws IOException, GeneralSecurityException {
    if (!(o instanceof X509CertificateHolder h)) {
      throw new IOException(where + " holds no PEM certificate");
    }
    return new JcaX509CertificateConverter().getCertificate(h);
  }

  private static PrivateKey privateKey(Object o, String where) throws IOException {
    JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
    if (o instanceof PrivateKeyInfo info) {
      return conv.getPrivateKey(info);
    } else if (o instanceof PEMKeyPair kp) {
      return conv.getPrivateKey(kp.getPrivateKeyInfo());
    }
    throw new IOException(where + " holds no unencrypted PEM private key");
  }

  private static X509Certificate selfSign(KeyPair pair, List<String> hosts)
      throws GeneralSecurityException, IOException {
    Instant now = Instant.now();
    X500Name subject = new X500Name("CN=ppml-kms");
    byte[] serial = new byte[16];
    new SecureRandom().nextBytes(serial);
    JcaX509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            subject,
            new BigInteger(1, serial),
            Date.from(now.minus(Duration.ofMinutes(5))),
            Date.from(now.plus(VALIDITY)),
            subject,
            pair.getPublic());
    List<GeneralName> names = new ArrayList<>();
    List<String> all = new ArrayList<>(hosts);
    all.add("localhost");
    all.add("127.0.0.1");
    for (String h : all.stream().distinct().toList()) {
      names.add(
          isIpLiteral(h)
              ? new GeneralName(GeneralName.iPAddress, h)
              : new GeneralName(GeneralName.dNSName, h));
    }
    b.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(names.toArray(new GeneralName[0])));
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    b.addExtension(
        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign the TLS certificate", e);
    }
  }

  private static boolean isIpLiteral(String h) {
    return h.matches("[0-9.]+") || h.contains(":");
  }

  private static byte[] pkcs8Pem(PrivateKey key) throws IOException {
    try {
      return pem(new JcaPKCS8Generator(key, null));
    } catch (PemGenerationException e) {
      throw new IOException("cannot encode the TLS key as PKCS#8", e);
    }
  }

  private static byte[] pem(Object o) throws IOException {
    StringWriter s = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(s)) {
      w.writeObject(o);
    }
    return s.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** The certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The SHA-256 fingerprint of the certificate's DER, lower-case hex: what clients pin. */
  public String sha256() {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot encode the TLS certificate", e);
    }
  }

  /** An in-memory key store holding the key and certificate, for the TLS server. */
  public KeyStore keyStore() throws GeneralSecurityException, IOException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("broker", key, STORE_PASSWORD, new X509Certificate[] {certificate});
    return ks;
  }

  /** The password of {@link #keyStore()}; it protects nothing, the store never leaves memory. */
  public String keyStorePassword() {
    return new String(STORE_PASSWORD);
  }

  @Override
  public String toString() {
    return "TlsIdentity[sha256=" + sha256() + "]";
  }
}
