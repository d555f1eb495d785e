package org.ppml.kmsclient.broker;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEDecrypter;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.crypto.bc.BouncyCastleProviderSingleton;
import com.nimbusds.jose.crypto.impl.ECDH;
import com.nimbusds.jose.crypto.impl.ECDHCryptoProvider;
import com.nimbusds.jose.crypto.utils.ECChecks;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import java.security.interfaces.ECPublicKey;
import java.util.Set;
import javax.crypto.SecretKey;

/**
 * Decrypts the broker's ECDH-ES+A256KW responses with this client's TEE key, remembering the
 * agreement for the last ephemeral key seen.
 *
 * <p>The broker reuses one ephemeral key per TEE key for a while, so consecutive releases carry the
 * same {@code epk}; recomputing the same P-256 agreement for each was most of a cached-token
 * unwrap's client CPU. A different {@code epk} is simply agreed afresh, so this reads any RFC 7518
 * JWE. Points are checked to be on P-256 before any agreement (invalid-curve attacks).
 */
final class ResponseDecrypter extends ECDHCryptoProvider implements JWEDecrypter {
  private final ECKey teeKey;
  private ECKey lastEpk;
  private SecretKey lastSharedSecret;

  ResponseDecrypter(ECKey teeKey) throws JOSEException {
    super(Curve.P_256, null);
    this.teeKey = teeKey;
  }

  @Override
  public byte[] decrypt(
      JWEHeader header,
      Base64URL encryptedKey,
      Base64URL iv,
      Base64URL cipherText,
      Base64URL authTag,
      byte[] aad)
      throws JOSEException {
    if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
      throw new JOSEException(
          "unsupported critical header parameters " + header.getCriticalParams());
    }
    if (!(header.getEphemeralPublicKey() instanceof ECKey epk)
        || !Curve.P_256.equals(epk.getCurve())) {
      throw new JOSEException("the JWE has no P-256 ephemeral public key");
    }
    return decryptWithZ(header, aad, sharedSecret(epk), encryptedKey, iv, cipherText, authTag);
  }

  private synchronized SecretKey sharedSecret(ECKey epk) throws JOSEException {
    if (epk.equals(lastEpk)) {
      return lastSharedSecret;
    }
    ECPublicKey point = epk.toECPublicKey();
    if (!ECChecks.isPointOnCurve(point, Curve.P_256.toECParameterSpec())) {
      throw new JOSEException("the ephemeral public key is not on P-256");
    }
    SecretKey z =
        ECDH.deriveSharedSecret(
            point, teeKey.toECPrivateKey(), BouncyCastleProviderSingleton.getInstance());
    lastEpk = epk;
    lastSharedSecret = z;
    return z;
  }

  @Override
  public Set<Curve> supportedEllipticCurves() {
    return Set.of(Curve.P_256);
  }

  @Override
  public String toString() {
    return "ResponseDecrypter";
  }
}
