package org.ppml.attestation.simulated;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.bouncycastle.math.ec.ECPoint;
import org.ppml.attestation.collateral.CollateralBundle;
import org.ppml.attestation.collateral.CollateralFormatException;
import org.ppml.attestation.dcap.PinnedRoot;
import org.ppml.crypto.fs.AtomicFile;

/**
 * The dev home ({@code ~/.ppml/dev} by default, what {@code ppml dev init} creates): the dev PKI,
 * the dev QE attestation key, the dev enclave key (RSA-3072, e=3) and signed collateral.
 *
 * <p>The directory is 0700 and every file 0600, written atomically. Only {@link #pinnedRoot()} lets
 * a verifier trust what this home signs.
 */
public final class DevHome {
  /** How long {@code dev init} makes collateral and CRLs valid. */
  public static final Duration COLLATERAL_LIFETIME = Duration.ofDays(365);

  private static final String ROOT_CERT = "root-ca.pem";
  private static final String ROOT_KEY = "root-ca.key";
  private static final String PCK_CA_CERT = "pck-ca.pem";
  private static final String PCK_CA_KEY = "pck-ca.key";
  private static final String PCK_CERT = "pck.pem";
  private static final String PCK_KEY = "pck.key";
  private static final String TCB_CERT = "tcb-signing.pem";
  private static final String TCB_KEY = "tcb-signing.key";
  private static final String ATTESTATION_KEY = "attestation.key";
  private static final String ENCLAVE_KEY = "enclave-key.pem";
  private static final String COLLATERAL = "collateral.json";

  private final Path dir;
  private final DevPki pki;
  private final KeyPair attestationKey;
  private final RSAPublicKey enclaveKey;

  private DevHome(Path dir, DevPki pki, KeyPair attestationKey, RSAPublicKey enclaveKey) {
    this.dir = dir;
    this.pki = pki;
    this.attestationKey = attestationKey;
    this.enclaveKey = enclaveKey;
  }

  /** {@code ~/.ppml/dev}. */
  public static Path defaultLocation() {
    return Path.of(System.getProperty("user.home"), ".ppml", "dev");
  }

  /**
   * Creates (or replaces) everything in {@code dir}: PKI, keys and collateral valid from {@code
   * now} for {@link #COLLATERAL_LIFETIME}.
   */
  public static DevHome init(Path dir, Instant now) throws IOException, GeneralSecurityException {
    DevFiles.createPrivateDirectory(dir);
    DevPki pki = DevPki.generate(now);
    KeyPair attestation = DevPki.ecKeyPair();
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(new RSAKeyGenParameterSpec(3072, BigInteger.valueOf(3)));
    KeyPair enclave = rsa.generateKeyPair();

    DevFiles.writePem(dir.resolve(ROOT_KEY), pki.rootKey());
    DevFiles.writePem(dir.resolve(PCK_CA_KEY), pki.pckCaKey());
    DevFiles.writePem(dir.resolve(PCK_KEY), pki.pckKey());
    DevFiles.writePem(dir.resolve(TCB_KEY), pki.tcbSigningKey());
    DevFiles.writePem(dir.resolve(ATTESTATION_KEY), attestation.getPrivate());
    DevFiles.writePem(dir.resolve(ENCLAVE_KEY), enclave.getPrivate());
    DevFiles.writePem(dir.resolve(ROOT_CERT), pki.rootCertificate());
    DevFiles.writePem(dir.resolve(PCK_CA_CERT), pki.pckCaCertificate());
    DevFiles.writePem(dir.resolve(PCK_CERT), pki.pckCertificate());
    DevFiles.writePem(dir.resolve(TCB_CERT), pki.tcbSigningCertificate());
    DevHome home = new DevHome(dir, pki, attestation, (RSAPublicKey) enclave.getPublic());
    home.refreshCollateral(now);
    return home;
  }

  /** Opens a dev home created by {@link #init}. */
  public static DevHome open(Path dir) throws IOException, GeneralSecurityException {
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + " is not a dev home; run `ppml dev init` first");
    }
    DevPki pki =
        new DevPki(
            DevFiles.readCertificate(dir.resolve(ROOT_CERT)),
                DevFiles.readPrivateKey(dir.resolve(ROOT_KEY)),
            DevFiles.readCertificate(dir.resolve(PCK_CA_CERT)),
                DevFiles.readPrivateKey(dir.resolve(PCK_CA_KEY)),
            DevFiles.readCertificate(dir.resolve(PCK_CERT)),
                DevFiles.readPrivateKey(dir.resolve(PCK_KEY)),
            DevFiles.readCertificate(dir.resolve(TCB_CERT)),
                DevFiles.readPrivateKey(dir.resolve(TCB_KEY)));
    PrivateKey attestationPrivate = DevFiles.readPrivateKey(dir.resolve(ATTESTATION_KEY));
    KeyPair attestation = new KeyPair(ecPublicFromPrivate(attestationPrivate), attestationPrivate);
    PrivateKey enclavePrivate = DevFiles.readPrivateKey(dir.resolve(ENCLAVE_KEY));
    if (!(enclavePrivate instanceof RSAPrivateCrtKey crt)) {
      throw new IOException(ENCLAVE_KEY + " is not an RSA key");
    }
    RSAPublicKey enclave =
        (RSAPublicKey)
            KeyFactory.getInstance("RSA")
                .generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
    return new DevHome(dir, pki, attestation, enclave);
  }

  private static PublicKey ecPublicFromPrivate(PrivateKey key) throws GeneralSecurityException {
    if (!(key instanceof ECPrivateKey ec)) {
      throw new GeneralSecurityException(ATTESTATION_KEY + " is not an EC key");
    }
    ECNamedCurveParameterSpec p256 = ECNamedCurveTable.getParameterSpec("secp256r1");
    ECPoint q = p256.getG().multiply(ec.getS()).normalize();
    return KeyFactory.getInstance("EC")
        .generatePublic(
            new ECPublicKeySpec(
                new java.security.spec.ECPoint(
                    q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()),
                ec.getParams()));
  }

  /** Re-signs collateral and CRLs valid from {@code now} for {@link #COLLATERAL_LIFETIME}. */
  public void refreshCollateral(Instant now) throws IOException, GeneralSecurityException {
    CollateralBundle bundle =
        SimulatedCollateral.of(pki, now, now.plus(COLLATERAL_LIFETIME)).build();
    AtomicFile.writeSecret(
        dir.resolve(COLLATERAL), bundle.toJson().toString().getBytes(StandardCharsets.UTF_8));
  }

  public Path directory() {
    return dir;
  }

  public DevPki pki() {
    return pki;
  }

  /** The dev root, pinned as a development root (results under it are marked simulated). */
  public PinnedRoot pinnedRoot() throws IOException {
    return PinnedRoot.development(pki.rootCertificate());
  }

  public X509CertificateHolder rootCertificate() {
    return pki.rootCertificate();
  }

  /** The file holding the dev root certificate (for {@code --root}). */
  public Path rootCertificateFile() {
    return dir.resolve(ROOT_CERT);
  }

  /** The file holding the signed collateral bundle (for {@code --collateral}). */
  public Path collateralFile() {
    return dir.resolve(COLLATERAL);
  }

  /** The signed collateral bundle written by {@link #init} or {@link #refreshCollateral}. */
  public CollateralBundle collateral() throws IOException, CollateralFormatException {
    return CollateralBundle.parse(DevFiles.read(collateralFile()));
  }

  /** MRSIGNER of the dev enclave key. */
  public byte[] mrSigner() {
    return SimulatedMeasurement.mrSignerOf(enclaveKey);
  }

  /** A simulated provider reporting {@code mrEnclave} (32 bytes) and this home's MRSIGNER. */
  public SimulatedSgxProvider provider(byte[] mrEnclave) {
    return new SimulatedSgxProvider(
        new SimulatedQuoteBuilder(pki, attestationKey), mrEnclave, mrSigner());
  }

  @Override
  public String toString() {
    return "DevHome[" + dir + "]";
  }
}
