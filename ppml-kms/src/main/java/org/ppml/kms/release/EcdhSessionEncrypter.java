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

  private EcdhSessionEncrypter(ECKey ephemeralPublic, SecretKey sharedSecret) throws JOSEException {
    super(Curve.P_256, null);
    this.ephemeralPublic = ephemeralPublic;
    this.sharedSecret = sharedSecret;
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

  @Override
  public JWECryptoParts encrypt(JWEHeader header, byte[] clearText, byte[] aad)
      throws JOSEException {
    // The AAD that JWEObject passes is the encoding of the header before epk was added; the
    // protected header that goes on the wire is the one with epk, so the AAD is recomputed.
    JWEHeader withEpk = new JWEHeader.Builder(header).ephemeralPublicKey(ephemeralPublic).build();
    return encryptWithZ(withEpk, sharedSecret, clearText, AAD.compute(withEpk));
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
