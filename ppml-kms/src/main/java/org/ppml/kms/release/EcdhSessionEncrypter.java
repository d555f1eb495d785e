package org.ppml.kms.release;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWECryptoParts;
import com.nimbusds.jose.JWEEncrypter;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.crypto.impl.AAD;
import com.nimbusds.jose.crypto.impl.ECDH;
import com.nimbusds.jose.crypto.impl.ECDHCryptoProvider;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.interfaces.ECPublicKey;
import java.util.Set;
import javax.crypto.SecretKey;

/**
 * ECDH-ES+A256KW encryption to one TEE key with an agreement computed once and reused.
 *
 * <p>Nimbus's {@code ECDHEncrypter} makes a fresh ephemeral key pair and a fresh agreement for
 * every JWE: two P-256 scalar multiplications, which were three quarters of the broker's CPU per
 * unwrap. Here the ephemeral key and the shared secret Z belong to the (TEE key, broker) pair for a
 * bounded time, the way a TLS session key does. Each JWE still gets its own random content key,
 * wrapped with AES-KW under the KEK that Concat KDF derives from Z, and its own GCM IV, so reuse of
 * Z reveals nothing across responses; only the TEE private key, which never leaves the enclave, can
 * compute Z. The epk in each header is the reused ephemeral public key, so any RFC 7518 decrypter
 * reads these JWEs unchanged.
 */
final class EcdhSessionEncrypter extends ECDHCryptoProvider implements JWEEncrypter {
  private final ECKey ephemeralPublic;
  private final SecretKey sharedSecret;
  private final JWEHeader header;

  private EcdhSessionEncrypter(ECKey ephemeralPublic, SecretKey sharedSecret) throws JOSEException {
    super(Curve.P_256, null);
    this.ephemeralPublic = ephemeralPublic;
    this.sharedSecret = sharedSecret;
    this.header =
        ProtectedHeaders.parse(
            "{\"alg\":\"ECDH-ES+A256KW\",\"enc\":\"A256GCM\",\"epk\":{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\""
                + ephemeralPublic.getX()
                + "\",\"y\":\""
                + ephemeralPublic.getY()
                + "\"}}");
  }

  /** A session to {@code teeKey}: one ephemeral key pair and one agreement, on {@code provider}. */
  static EcdhSessionEncrypter open(ECKey teeKey, Provider provider) throws JOSEException {
    if (!Curve.P_256.equals(teeKey.getCurve())) {
      throw new JOSEException("TEE key is not on P-256");
    }
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC", provider);
      g.initialize(Curve.P_256.toECParameterSpec());
      KeyPair pair = g.generateKeyPair();
      SecretKey z = ECDH.deriveSharedSecret(teeKey.toECPublicKey(), pair.getPrivate(), provider);
      ECKey epk = new ECKey.Builder(Curve.P_256, (ECPublicKey) pair.getPublic()).build();
      return new EcdhSessionEncrypter(epk, z);
    } catch (GeneralSecurityException e) {
      throw new JOSEException("ECDH agreement failed: " + e.getClass().getSimpleName());
    }
  }

  /**
   * The protected header of every JWE of this session, with its exact bytes: {@code
   * {"alg":"ECDH-ES+A256KW","enc":"A256GCM","epk":{"crv":"P-256","kty":"EC","x":…,"y":…}}}.
   */
  JWEHeader header() {
    return header;
  }

  @Override
  public JWECryptoParts encrypt(JWEHeader ignored, byte[] clearText, byte[] aad)
      throws JOSEException {
    // The header and its AAD are this session's, whatever JWEObject built: the AAD must be the
    // ASCII of the exact protected header sent, and that header carries the session's epk.
    return encryptWithZ(header, sharedSecret, clearText, AAD.compute(header));
  }

  @Override
  public Set<Curve> supportedEllipticCurves() {
    return Set.of(Curve.P_256);
  }

  @Override
  public String toString() {
    return "EcdhSessionEncrypter[epk " + ephemeralPublic.getX() + "]";
  }
}
