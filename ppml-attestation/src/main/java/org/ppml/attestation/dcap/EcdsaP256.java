package org.ppml.attestation.dcap;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.util.PublicKeyFactory;

/**
 * ECDSA P-256 with SHA-256 in the raw form DCAP uses: 64-byte {@code r‖s} signatures and 64-byte
 * {@code x‖y} public keys.
 *
 * <p>Uses Bouncy Castle's lightweight ECDSA, which is several times faster than the JDK 17 provider
 * for verification; it rejects {@code r} or {@code s} outside {@code [1, n-1]}. Raw keys come from
 * the untrusted quote, so the point is validated on the curve before use.
 */
final class EcdsaP256 {
  // BC's custom SecP256R1 curve, not the generic one from ECNamedCurveTable: the generic curve does
  // every field operation with BigInteger division and made a verification ~8x slower
  // (docs/benchmarks.md, quote verification).
  private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256r1");
  private static final ECDomainParameters DOMAIN = new ECDomainParameters(CURVE);

  private EcdsaP256() {}

  /** A public key from raw {@code x‖y}; throws if the point is not on P-256. */
  static ECPublicKeyParameters rawPublicKey(byte[] xy) throws GeneralSecurityException {
    if (xy.length != 64) {
      throw new GeneralSecurityException("a raw P-256 key is 64 bytes");
    }
    try {
      BigInteger x = new BigInteger(1, Arrays.copyOfRange(xy, 0, 32));
      BigInteger y = new BigInteger(1, Arrays.copyOfRange(xy, 32, 64));
      return new ECPublicKeyParameters(CURVE.getCurve().validatePoint(x, y), DOMAIN);
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException("point is not on P-256");
    }
  }

  /** The subject public key of a certificate, which must be a P-256 key. */
  static ECPublicKeyParameters publicKey(X509CertificateHolder cert)
      throws GeneralSecurityException {
    AsymmetricKeyParameter key;
    try {
      key = PublicKeyFactory.createKey(cert.getSubjectPublicKeyInfo());
    } catch (IOException | RuntimeException e) {
      throw new GeneralSecurityException("unreadable subject public key");
    }
    if (!(key instanceof ECPublicKeyParameters ec)
        || !ec.getParameters().getCurve().equals(CURVE.getCurve())) {
      throw new GeneralSecurityException("not a P-256 key");
    }
    // Re-home the point on the fast curve implementation.
    return new ECPublicKeyParameters(
        CURVE.getCurve().decodePoint(ec.getQ().getEncoded(false)), DOMAIN);
  }

  /**
   * Verifies a raw {@code r‖s} signature over SHA-256(data); false for any malformed signature.
   * Results are remembered, which pays off for signatures every quote of a platform repeats (QE
   * report, collateral).
   */
  static boolean verify(
      ECPublicKeyParameters key, byte[] data, byte[] rawSignature, VerifiedSignatures.Scope scope) {
    return verifyMaybeRemembered(key, data, rawSignature, scope);
  }

  /**
   * As {@link #verify(ECPublicKeyParameters, byte[], byte[])}, but without the memory: for the
   * quote's own signature, which is new with every quote. Remembering it would help only an exact
   * replay, and would make repeated-verification benchmarks measure the memory, not the check.
   */
  static boolean verifyFresh(ECPublicKeyParameters key, byte[] data, byte[] rawSignature) {
    return verifyMaybeRemembered(key, data, rawSignature, null);
  }

  // scope null: check afresh and remember nothing.
  private static boolean verifyMaybeRemembered(
      ECPublicKeyParameters key, byte[] data, byte[] rawSignature, VerifiedSignatures.Scope scope) {
    if (rawSignature.length != 64) {
      return false;
    }
    byte[] digest = sha256(data);
    if (scope == null) {
      return verifyNow(key, digest, rawSignature);
    }
    ByteBuffer memo =
        VerifiedSignatures.key(
            "ecdsa-p256-raw", key.getQ().getEncoded(false), digest, rawSignature);
    if (VerifiedSignatures.known(memo)) {
      return true;
    }
    boolean valid = verifyNow(key, digest, rawSignature);
    if (valid) {
      VerifiedSignatures.remember(memo, scope);
    }
    return valid;
  }

  private static boolean verifyNow(ECPublicKeyParameters key, byte[] digest, byte[] rawSignature) {
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(rawSignature, 0, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(rawSignature, 32, 64));
    ECDSASigner signer = new ECDSASigner();
    signer.init(false, key);
    return signer.verifySignature(digest, r, s);
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
