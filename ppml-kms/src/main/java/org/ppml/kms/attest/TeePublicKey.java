package org.ppml.kms.attest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.text.ParseException;
import org.ppml.crypto.json.StrictJsonMapper;
import org.ppml.kms.BrokerException;

/**
 * The {@code tee-pubkey} of the KBS runtime data: a public JWK that responses are encrypted to, in
 * the two forms the reference client (guest-components v0.14.0 {@code kbs_protocol}, {@code
 * keypair.rs}) generates and Trustee v0.14.0 encrypts to: an EC P-256 key with {@code alg}
 * ECDH-ES+A256KW (the default), or an RSA key of 2048..8192 bits with {@code alg} RSA-OAEP-256.
 * {@code alg} is required, as Trustee's {@code TeePubKey} type requires it; Trustee's RSA1_5 is
 * refused.
 *
 * @param jwk the public key
 * @param thumbprint its RFC 7638 SHA-256 thumbprint, base64url
 * @param kbsForm the members Trustee's {@code TeePubKey} type keeps and hashes into REPORT_DATA:
 *     {@code kty, crv, alg, x, y} or {@code kty, alg, n, e}
 */
public record TeePublicKey(JWK jwk, String thumbprint, ObjectNode kbsForm) {
  private static final int MIN_RSA_BITS = 2048;
  private static final int MAX_RSA_BITS = 8192;
  private static final ObjectMapper TEXT = StrictJsonMapper.create();

  /** Reads and checks a JWK object. */
  public static TeePublicKey parse(JsonNode node) throws BrokerException {
    if (node == null || !node.isObject()) {
      throw bad("tee-pubkey must be a JWK object");
    }
    JWK jwk;
    try {
      jwk = JWK.parse(node.toString());
    } catch (ParseException e) {
      throw bad("tee-pubkey is not a valid JWK");
    }
    if (jwk.isPrivate()) {
      throw bad("tee-pubkey must not contain private key material");
    }
    ObjectNode form = JsonNodeFactory.instance.objectNode();
    if (jwk instanceof ECKey ec) {
      if (!Curve.P_256.equals(ec.getCurve())) {
        throw bad("tee-pubkey EC keys must be on P-256");
      }
      String alg = alg(jwk, JWEAlgorithm.ECDH_ES_A256KW);
      form.put("kty", "EC");
      form.put("crv", ec.getCurve().getName());
      form.put("alg", alg);
      form.put("x", ec.getX().toString());
      form.put("y", ec.getY().toString());
    } else if (jwk instanceof RSAKey rsa) {
      int bits = rsa.size();
      if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
        throw bad("tee-pubkey RSA keys must have " + MIN_RSA_BITS + ".." + MAX_RSA_BITS + " bits");
      }
      String alg = alg(jwk, JWEAlgorithm.RSA_OAEP_256);
      form.put("kty", "RSA");
      form.put("alg", alg);
      form.put("n", rsa.getModulus().toString());
      form.put("e", rsa.getPublicExponent().toString());
    } else {
      throw bad("tee-pubkey must be an EC P-256 or an RSA key");
    }
    try {
      return new TeePublicKey(jwk, jwk.computeThumbprint().toString(), form);
    } catch (JOSEException e) {
      throw bad("tee-pubkey thumbprint cannot be computed");
    }
  }

  /** Reads and checks the text of a JSON object that should be a public JWK. */
  public static TeePublicKey parseObject(String json) throws BrokerException {
    try {
      return parse(TEXT.readTree(json));
    } catch (IOException e) {
      throw bad("tee-pubkey is not a valid JWK");
    }
  }

  /**
   * The JWK as hashed into REPORT_DATA: Trustee deserialises {@code tee-pubkey} into its {@code
   * TeePubKey} type, which keeps only these members, and hashes that.
   */
  public ObjectNode kbsForm() {
    return kbsForm.deepCopy();
  }

  private static String alg(JWK jwk, JWEAlgorithm only) throws BrokerException {
    if (jwk.getAlgorithm() == null) {
      throw bad("tee-pubkey has no alg; " + jwk.getKeyType() + " keys use " + only);
    }
    if (!only.getName().equals(jwk.getAlgorithm().getName())) {
      throw bad(
          "tee-pubkey alg "
              + jwk.getAlgorithm().getName()
              + " is not supported for "
              + jwk.getKeyType()
              + " keys; use "
              + only.getName());
    }
    return only.getName();
  }

  private static BrokerException bad(String message) {
    return new BrokerException(BrokerException.Kind.BAD_REQUEST, message);
  }
}
