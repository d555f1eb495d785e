package org.ppml.kms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.kms.store.BrokerDatabase;
import org.ppml.kms.store.MasterKey;
import org.ppml.kms.store.SealedSettings;
import org.ppml.kms.testing.TestBackend;
import org.ppml.kms.token.TokenSigningKey;
import org.ppml.kmsclient.broker.KeyBrokerAdminClient;

/**
 * The bytes on the wire, read without our client or nimbus's lenient JSON parsers: releases are
 * flattened JWEs (RFC 7516 §7.2.2) to the attested P-256 key, the attestation token is an ES256 JWS
 * under the broker's signing key, and a policy denial is a problem body with nothing of the key in
 * it. The enclave here is built by hand (its own TEE key, its own attest body) so the test holds
 * the private key and can open what the broker sends.
 */
class ReleaseWireFormatTest {
  private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");

  @TempDir static Path tmp;
  static BrokerFixture broker;
  static KeyBrokerAdminClient admin;
  static RawKbs raw;

  /** A hand-made enclave: its TEE key pair and the token the broker issued for it. */
  private record Enclave(ECKey teeKey, String token, RawKbs.Reply attestReply) {}

  @BeforeAll
  static void start() throws Exception {
    broker = new BrokerFixture(tmp);
    admin = broker.admin();
    raw = new RawKbs(broker.url(), broker.tls());
    admin.createKey("wire", broker.simulatedPolicy());
  }

  @AfterAll
  static void stop() throws Exception {
    broker.close();
  }

  @Test
  void datakeyUnwrapAndResourceAnswersAreFlattenedJwesToTheTeeKey() throws Exception {
    Enclave enclave = attest();
    RawKbs.Reply datakey =
        raw.postJson(
            "/ppml/v1/datakey",
            "{\"keyName\":\"wire\"}",
            "Authorization",
            "Bearer " + enclave.token());
    assertEquals(200, datakey.status(), datakey.body());
    JsonNode released = datakey.json();
    byte[] key = openFlattened(released.get("jwe"), enclave.teeKey());
    assertEquals(32, key.length);

    RawKbs.Reply unwrap =
        raw.postJson(
            "/ppml/v1/unwrap",
            "{\"keyName\":\"wire\",\"keyVersion\":"
                + released.get("keyVersion").asInt()
                + ",\"wrappedKey\":\""
                + released.get("wrappedKey").asText()
                + "\"}",
            "Authorization",
            "Bearer " + enclave.token());
    assertEquals(200, unwrap.status(), unwrap.body());
    assertArrayEquals(key, openFlattened(unwrap.json().get("jwe"), enclave.teeKey()));

    // A KBS resource answer is the JWE itself, at the top level of the body.
    byte[] secret = "wire-format-resource".getBytes(StandardCharsets.UTF_8);
    admin.putResource("wire/type/tag", secret, broker.simulatedPolicy());
    RawKbs.Reply resource =
        raw.send(
            "GET",
            "/kbs/v0/resource/wire/type/tag",
            null,
            null,
            "Authorization",
            "Bearer " + enclave.token());
    assertEquals(200, resource.status(), resource.body());
    assertArrayEquals(secret, openFlattened(resource.json(), enclave.teeKey()));
  }

  @Test
  void theAttestationTokenIsAnEs256JwsUnderTheBrokersSigningKey() throws Exception {
    Enclave enclave = attest();
    assertEquals(
        "application/json", enclave.attestReply().contentType(), enclave.attestReply().body());
    String[] parts = enclave.token().split("\\.", -1);
    assertEquals(3, parts.length, "a compact JWS has three parts: " + enclave.token());
    JsonNode header = RawKbs.JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
    assertEquals("ES256", header.path("alg").asText(), header.toString());
    // ES256 signatures are the 64-byte R || S of RFC 7518 §3.4, not the DER the JDK produces.
    assertEquals(64, Base64.getUrlDecoder().decode(parts[2]).length);

    ECKey signingKey = brokerSigningKey();
    assertFalse(signingKey.isPrivate());
    assertEquals(signingKey.getKeyID(), header.path("kid").asText(), header.toString());
    assertTrue(
        SignedJWT.parse(enclave.token()).verify(new ECDSAVerifier(signingKey)),
        "the token does not verify with the broker's public signing key");
    // A key that is not the broker's must not verify it, or the check above proves nothing.
    assertFalse(
        SignedJWT.parse(enclave.token())
            .verify(new ECDSAVerifier(new ECKeyGenerator(Curve.P_256).generate().toPublicJWK())));
  }

  @Test
  void aDebugDenialIsAProblemWithNoKeyInIt() throws Exception {
    assertDenialCarriesNoKey(
        "nodebug-wire",
        broker.simulatedPolicy().replace("\"allowDebug\":true", "\"allowDebug\":false"),
        "allowDebug");
  }

  @Test
  void aSimulatedDenialIsAProblemWithNoKeyInIt() throws Exception {
    assertDenialCarriesNoKey(
        "nosim-wire",
        broker.simulatedPolicy().replace("\"allowSimulated\":true", "\"allowSimulated\":false"),
        "allowSimulated");
  }

  /**
   * Releases a data key under {@code keyName} while its policy admits the enclave, then narrows the
   * policy to {@code denying}: a fresh datakey and an unwrap of the key the test now knows must
   * both be refused with a problem that names {@code violation} and carries neither a JWE nor that
   * key in any encoding.
   */
  private static void assertDenialCarriesNoKey(String keyName, String denying, String violation)
      throws Exception {
    assertFalse(
        denying.equals(broker.simulatedPolicy()), "the policy was not narrowed: " + denying);
    admin.createKey(keyName, broker.simulatedPolicy());
    Enclave enclave = attest();
    RawKbs.Reply allowed =
        raw.postJson(
            "/ppml/v1/datakey",
            "{\"keyName\":\"" + keyName + "\"}",
            "Authorization",
            "Bearer " + enclave.token());
    assertEquals(200, allowed.status(), allowed.body());
    JsonNode released = allowed.json();
    byte[] key = openFlattened(released.get("jwe"), enclave.teeKey());
    admin.setPolicy(keyName, denying);

    RawKbs.Reply datakey =
        raw.postJson(
            "/ppml/v1/datakey",
            "{\"keyName\":\"" + keyName + "\"}",
            "Authorization",
            "Bearer " + enclave.token());
    assertDenialProblem(datakey, violation, key);
    assertFalse(datakey.body().contains("wrappedKey"), datakey.body());

    RawKbs.Reply unwrap =
        raw.postJson(
            "/ppml/v1/unwrap",
            "{\"keyName\":\""
                + keyName
                + "\",\"keyVersion\":"
                + released.get("keyVersion").asInt()
                + ",\"wrappedKey\":\""
                + released.get("wrappedKey").asText()
                + "\"}",
            "Authorization",
            "Bearer " + enclave.token());
    assertDenialProblem(unwrap, violation, key);
  }

  private static void assertDenialProblem(RawKbs.Reply r, String violation, byte[] key)
      throws Exception {
    assertEquals(403, r.status(), r.body());
    assertEquals("application/problem+json", r.contentType(), r.body());
    JsonNode p = r.json();
    assertEquals(403, p.path("status").asInt(), r.body());
    assertEquals("urn:ppml:kms:policy-denied", p.path("type").asText(), r.body());
    assertFalse(p.path("title").asText().isEmpty(), r.body());
    // The policy differs from an admitting one in this one field, so it is the only violation.
    assertEquals(1, p.path("violations").size(), r.body());
    assertTrue(p.path("violations").get(0).asText().startsWith(violation + ":"), r.body());
    for (String jweMember :
        List.of("\"jwe\"", "ciphertext", "encrypted_key", "\"protected\"", "\"tag\"")) {
      assertFalse(r.body().contains(jweMember), jweMember + " in a denial: " + r.body());
    }
    String hex = HexFormat.of().formatHex(key);
    // Unpadded, so a padded or unpadded copy in the body both match.
    for (String encoded :
        List.of(
            Base64.getEncoder().withoutPadding().encodeToString(key),
            Base64.getUrlEncoder().withoutPadding().encodeToString(key),
            hex,
            hex.toUpperCase(Locale.ROOT))) {
      assertFalse(r.body().contains(encoded), "the data key is in a denial: " + r.body());
    }
  }

  /**
   * Asserts {@code jwe} is the flattened JSON serialization of an ECDH-ES+A256KW/A256GCM JWE and
   * returns its plaintext. It is opened from exactly the five flattened members, rebuilt as the
   * compact form: that decrypts only if the protected header, with its epk, is the one the broker
   * authenticated, and no unprotected header or AAD member was needed.
   */
  private static byte[] openFlattened(JsonNode jwe, ECKey teeKey) throws Exception {
    assertTrue(jwe != null && jwe.isObject(), "no JWE object: " + jwe);
    assertFalse(jwe.has("recipients"), "general serialization, not flattened: " + jwe);
    List<String> members = List.of("protected", "encrypted_key", "iv", "ciphertext", "tag");
    for (String m : members) {
      assertTrue(jwe.path(m).isTextual(), m + " missing from " + jwe);
      assertTrue(
          BASE64URL.matcher(jwe.get(m).asText()).matches(),
          m + " is not unpadded base64url: " + jwe);
    }
    Base64.Decoder b64 = Base64.getUrlDecoder();
    // A256KW of a 256-bit content key is 40 bytes; GCM's IV is 96 bits and its tag 128.
    assertEquals(40, b64.decode(jwe.get("encrypted_key").asText()).length, jwe.toString());
    assertEquals(12, b64.decode(jwe.get("iv").asText()).length, jwe.toString());
    assertEquals(16, b64.decode(jwe.get("tag").asText()).length, jwe.toString());

    JsonNode header = RawKbs.JSON.readTree(b64.decode(jwe.get("protected").asText()));
    assertEquals("ECDH-ES+A256KW", header.path("alg").asText(), header.toString());
    assertEquals("A256GCM", header.path("enc").asText(), header.toString());
    JsonNode epk = header.path("epk");
    assertEquals("EC", epk.path("kty").asText(), header.toString());
    assertEquals("P-256", epk.path("crv").asText(), header.toString());
    assertEquals(32, b64.decode(epk.path("x").asText()).length, header.toString());
    assertEquals(32, b64.decode(epk.path("y").asText()).length, header.toString());
    assertFalse(epk.has("d"), "the ephemeral private key is in the header: " + header);

    StringBuilder compact = new StringBuilder();
    for (String m : members) {
      compact.append(compact.length() == 0 ? "" : ".").append(jwe.get(m).asText());
    }
    JWEObject o = JWEObject.parse(compact.toString());
    o.decrypt(new ECDHDecrypter(teeKey));
    return o.getPayload().toBytes();
  }

  /** KBS auth and attest by hand with a fresh P-256 TEE key. */
  private static Enclave attest() throws Exception {
    ECKey tee = new ECKeyGenerator(Curve.P_256).generate();
    RawKbs.Reply auth = raw.auth();
    assertEquals(200, auth.status(), auth.body());
    String body =
        KeyBrokerEndToEndTestSupport.attestBody(
            broker, auth.json().get("nonce").asText(), tee.toPublicJWK().toJSONObject());
    RawKbs.Reply attest =
        raw.postJson("/kbs/v0/attest", body, "Cookie", "kbs-session-id=" + auth.session());
    assertEquals(200, attest.status(), attest.body());
    return new Enclave(tee, attest.json().get("token").asText(), attest);
  }

  /**
   * The public half of the signing key the broker keeps sealed in its database, read through a
   * second store on the same file as {@code AuditLogFill} does: the broker publishes no JWKS.
   */
  private static ECKey brokerSigningKey() throws Exception {
    MasterKey masterKey = MasterKey.load(null, broker.dataDir().resolve(MasterKey.FILE_NAME));
    try (BrokerDatabase store = TestBackend.open(broker.dataDir())) {
      return TokenSigningKey.loadOrCreate(new SealedSettings(store, masterKey)).publicKey();
    } finally {
      masterKey.destroy();
    }
  }
}
