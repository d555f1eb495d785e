package org.ppml.kms.attest;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.text.ParseException;
import org.ppml.kms.BrokerException;

/**
 * The {@code tee-pubkey} of the KBS runtime data: a public JWK that responses are encrypted to.
 * Only P-256 EC keys (ECDH-ES+A256KW) and RSA keys of at least 2048 bits (RSA-OAEP-256) are
 * accepted.
 *
 * @param jwk the public key
 * @param thumbprint its RFC 7638 SHA-256 thumbprint, base64url
 */
public record TeePublicKey(JWK jwk, String thumbprint) {
  private static final int MIN_RSA_BITS = 2048;
  private static final int MAX_RSA_BITS = 8192;

  /** Reads and checks a JWK object. */
  public static TeePublicKey parse(JsonNode node) throws BrokerException {
    if (node == null || !node.isObject()) {
      throw bad("tee-pubkey must be a JWK object");
    }
    return parseObject(node.toString());
  }

  /** Reads and checks the text of a JSON object that should be a public JWK. */
  public static TeePublicKey parseObject(String json) throws BrokerException {
    JWK jwk;
    try {
      jwk = JWK.parse(json);
    } catch (ParseException e) {
      throw bad("tee-pubkey is not a valid JWK");
    }
    if (jwk.isPrivate()) {
      throw bad("tee-pubkey must not contain private key material");
    }
    if (jwk instanceof ECKey ec) {
      if (!Curve.P_256.equals(ec.getCurve())) {
        throw bad("tee-pubkey EC keys must be on P-256");
      }
    } else if (jwk instanceof RSAKey rsa) {
      int bits = rsa.size();
      if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
        throw bad("tee-pubkey RSA keys must have " + MIN_RSA_BITS + ".." + MAX_RSA_BITS + " bits");
      }
    } else {
      throw bad("tee-pubkey must be an EC P-256 or RSA key");
    }
    try {
      return new TeePublicKey(jwk, jwk.computeThumbprint().toString());
    } catch (JOSEException e) {
      throw bad("tee-pubkey thumbprint cannot be computed");
    }
  }

  private static BrokerException bad(String message) {
    return new BrokerException(BrokerException.Kind.BAD_REQUEST, message);
  }
}
