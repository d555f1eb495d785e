package org.ppml.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.TreeMap;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

/**
 * A KBS client that follows the rules of the reference client, guest-components v0.14.0 {@code
 * attestation-agent/kbs_protocol} ({@code client/rcar_client.rs}, {@code keypair.rs}) with
 * kbs-types 0.12.0 ({@code f4055a1}), written from those facts and not from our client:
 *
 * <ul>
 *   <li>the TEE key is EC P-256 ({@code {"kty":"EC","crv":"P-256","alg":"ECDH-ES+A256KW",x,y}}, the
 *       default) or RSA 2048 ({@code {"kty":"RSA","alg":"RSA-OAEP-256",n,e}});
 *   <li>auth sends {@code supported-hash-algorithms}; attest sends {@code "init-data": null} and
 *       the composite evidence; REPORT_DATA is SHA-384 of the JCS form of {@code {tee-pubkey,
 *       nonce, additional-evidence}}, padded with zeros to 64 bytes by the SGX attester;
 *   <li>resources are fetched with the session cookie only (the reqwest cookie store);
 *   <li>a response is decrypted by rebuilding the AAD from the parsed protected header: {@code
 *       alg}, {@code enc}, then the other members sorted, nested objects sorted, compact,
 *       base64url; the {@code aad} member of the JWE is ignored; the CEK is unwrapped with ECDH-ES
 *       + Concat KDF (SHA-256, AlgorithmID "ECDH-ES+A256KW", empty PartyU/PartyV, 256 bits) +
 *       AES-KW, or with RSA-OAEP (SHA-256, MGF1-SHA-256).
 * </ul>
 */
final class ReferenceKbsClient {
  /** The TEE key kinds the reference client generates. */
  enum KeyKind {
    EC,
    RSA
  }

  private final RawKbs raw;
  private final KeyPair teeKey;
  private final ObjectNode teePubkey;
  String session;
  RawKbs.Reply lastAuth;
  RawKbs.Reply lastAttest;

  ReferenceKbsClient(RawKbs raw, KeyKind kind) throws Exception {
    this.raw = raw;
    if (kind == KeyKind.EC) {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      teeKey = g.generateKeyPair();
      ECPoint w = ((ECPublicKey) teeKey.getPublic()).getW();
      teePubkey = RawKbs.JSON.createObjectNode();
      teePubkey.put("kty", "EC");
      teePubkey.put("crv", "P-256");
      teePubkey.put("alg", "ECDH-ES+A256KW");
      teePubkey.put("x", b64url(unsigned(w.getAffineX(), 32)));
      teePubkey.put("y", b64url(unsigned(w.getAffineY(), 32)));
    } else {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      teeKey = g.generateKeyPair();
      RSAPublicKey pub = (RSAPublicKey) teeKey.getPublic();
      teePubkey = RawKbs.JSON.createObjectNode();
      teePubkey.put("kty", "RSA");
      teePubkey.put("alg", "RSA-OAEP-256");
      teePubkey.put("n", b64url(unsigned(pub.getModulus(), 256)));
      teePubkey.put("e", b64url(pub.getPublicExponent().toByteArray()));
    }
  }

  /** The auth body: {@code build_request}. */
  static String authBody(String tee) {
    return "{\"version\":\"0.4.0\",\"tee\":\""
        + tee
        + "\",\"extra-params\":{\"supported-hash-algorithms\":[\"sha256\",\"sha384\",\"sha512\"]}}";
  }

  /** Auth and attest with a simulated SGX quote from {@code broker}'s dev home; the token. */
  String handshake(BrokerFixture broker) throws Exception {
    lastAuth = raw.postJson("/kbs/v0/auth", authBody("sgx"));
    assertEquals(200, lastAuth.status(), lastAuth.body());
    session = lastAuth.session();
    assertNotNull(session, "auth sets kbs-session-id");
    String nonce = lastAuth.json().get("nonce").asText();
    byte[] reportData = reportData(nonce, teePubkey, "");
    byte[] quote = broker.devHome.provider(BrokerFixture.MRENCLAVE).evidence(reportData).quote();
    lastAttest = raw.postJson("/kbs/v0/attest", attestBody(nonce, quote), "Cookie", cookie());
    assertEquals(200, lastAttest.status(), lastAttest.body());
    return lastAttest.json().get("token").asText();
  }

  /** The attest body, member order as serde writes kbs-types {@code Attestation}. */
  String attestBody(String nonce, byte[] quote) {
    ObjectNode body = RawKbs.JSON.createObjectNode();
    body.putNull("init-data");
    ObjectNode runtimeData = body.putObject("runtime-data");
    runtimeData.put("nonce", nonce);
    runtimeData.set("tee-pubkey", teePubkey);
    ObjectNode evidence = body.putObject("tee-evidence");
    evidence.putObject("primary_evidence").put("quote", Base64.getEncoder().encodeToString(quote));
    evidence.put("additional_evidence", "");
    return body.toString();
  }

  String cookie() {
    return "kbs-session-id=" + session;
  }

  ObjectNode teePubkey() {
    return teePubkey.deepCopy();
  }

  /** GET a resource with the session cookie, as {@code get_resource} does. */
  RawKbs.Reply getResource(String path) throws Exception {
    return raw.send("GET", "/kbs/v0/resource/" + path, null, null, "Cookie", cookie());
  }

  /** SHA-384(JCS({tee-pubkey, nonce, additional-evidence})) zero-padded to 64 bytes. */
  static byte[] reportData(String nonce, JsonNode teePubkey, String additionalEvidence)
      throws Exception {
    ObjectNode hashed = RawKbs.JSON.createObjectNode();
    hashed.set("tee-pubkey", teePubkey);
    hashed.put("nonce", nonce);
    hashed.put("additional-evidence", additionalEvidence);
    byte[] digest =
        MessageDigest.getInstance("SHA-384")
            .digest(
                KeyBrokerEndToEndTestSupport.canonical(hashed).getBytes(StandardCharsets.UTF_8));
    return Arrays.copyOf(digest, 64);
  }

  /**
   * kbs-types {@code ProtectedHeader} re-serialised: {@code alg}, {@code enc}, then the other
   * members in a sorted map, nested objects sorted too (serde_json's default {@code Map}), compact.
   */
  static String reserialisedHeader(JsonNode header) {
    StringBuilder out = new StringBuilder("{");
    out.append("\"alg\":").append(header.get("alg").toString());
    out.append(",\"enc\":").append(header.get("enc").toString());
    TreeMap<String, JsonNode> others = new TreeMap<>();
    for (Iterator<String> it = header.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!name.equals("alg") && !name.equals("enc")) {
        others.put(name, header.get(name));
      }
    }
    others.forEach(
        (k, v) ->
            out.append(',')
                .append(RawKbs.JSON.getNodeFactory().textNode(k).toString())
                .append(':')
                .append(KeyBrokerEndToEndTestSupport.canonical(v)));
    return out.append('}').toString();
  }

  /** {@code TeeKeyPair::decrypt_response}. */
  byte[] decryptResponse(JsonNode jwe) throws Exception {
    Base64.Decoder b64 = Base64.getUrlDecoder();
    JsonNode header = RawKbs.JSON.readTree(b64.decode(jwe.get("protected").asText()));
    byte[] encryptedKey = b64.decode(jwe.get("encrypted_key").asText());
    byte[] cek;
    String alg = header.get("alg").asText();
    if (alg.equals("RSA-OAEP-256")) {
      Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
      rsa.init(
          Cipher.DECRYPT_MODE,
          teeKey.getPrivate(),
          new OAEPParameterSpec(
              "SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
      cek = rsa.doFinal(encryptedKey);
    } else if (alg.equals("ECDH-ES+A256KW")) {
      JsonNode epk = header.get("epk");
      if (!epk.get("crv").asText().equals("P-256")) {
        throw new IllegalStateException("Unmatched curve: " + epk.get("crv"));
      }
      ECPublicKey peer =
          (ECPublicKey)
              KeyFactory.getInstance("EC")
                  .generatePublic(
                      new ECPublicKeySpec(
                          new ECPoint(
                              new BigInteger(1, b64.decode(epk.get("x").asText())),
                              new BigInteger(1, b64.decode(epk.get("y").asText()))),
                          ((ECPrivateKey) teeKey.getPrivate()).getParams()));
      KeyAgreement ka = KeyAgreement.getInstance("ECDH");
      ka.init(teeKey.getPrivate());
      ka.doPhase(peer, true);
      byte[] z = ka.generateSecret();
      Cipher kw = Cipher.getInstance("AESWrap");
      kw.init(Cipher.UNWRAP_MODE, new SecretKeySpec(concatKdf(z, "ECDH-ES+A256KW"), "AES"));
      Key unwrapped = kw.unwrap(encryptedKey, "AES", Cipher.SECRET_KEY);
      cek = unwrapped.getEncoded();
    } else {
      throw new IllegalStateException("Unsupported algorithm: " + alg);
    }
    byte[] aad =
        b64url(reserialisedHeader(header).getBytes(StandardCharsets.UTF_8))
            .getBytes(StandardCharsets.US_ASCII);
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    SecretKey key = new SecretKeySpec(cek, "AES");
    gcm.init(
        Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, b64.decode(jwe.get("iv").asText())));
    gcm.updateAAD(aad);
    byte[] ct = b64.decode(jwe.get("ciphertext").asText());
    byte[] tag = b64.decode(jwe.get("tag").asText());
    byte[] both = ByteBuffer.allocate(ct.length + tag.length).put(ct).put(tag).array();
    return gcm.doFinal(both);
  }

  /** Concat KDF of RFC 7518 §4.6.2 as the reference client's {@code concat_kdf}: 256 bits. */
  static byte[] concatKdf(byte[] z, String alg) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(new byte[] {0, 0, 0, 1});
    sha.update(z);
    byte[] a = alg.getBytes(StandardCharsets.US_ASCII);
    sha.update(ByteBuffer.allocate(4).putInt(a.length).array());
    sha.update(a);
    sha.update(new byte[8]);
    sha.update(ByteBuffer.allocate(4).putInt(256).array());
    return sha.digest();
  }

  static String b64url(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static byte[] unsigned(BigInteger v, int length) {
    byte[] b = v.toByteArray();
    if (b.length == length) {
      return b;
    }
    byte[] out = new byte[length];
    int copy = Math.min(b.length, length);
    System.arraycopy(b, b.length - copy, out, length - copy, copy);
    return out;
  }
}
