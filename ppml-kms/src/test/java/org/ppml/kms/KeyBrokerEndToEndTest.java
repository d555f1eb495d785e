package org.ppml.kms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEObjectJSON;
import com.nimbusds.jose.crypto.RSADecrypter;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.attestation.evidence.Evidence;
import org.ppml.attestation.evidence.EvidenceProvider;
import org.ppml.crypto.kms.DataKey;
import org.ppml.crypto.kms.KeyAdministration;
import org.ppml.crypto.kms.Kms;
import org.ppml.crypto.kms.KmsCapability;
import org.ppml.crypto.kms.KmsCredentials;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.KmsRegistry;
import org.ppml.crypto.kms.WrappedKey;
import org.ppml.crypto.kms.local.LocalKeyWrap;
import org.ppml.kms.http.KeyBrokerServer;
import org.ppml.kmsclient.broker.KbsErrorType;
import org.ppml.kmsclient.broker.KeyBrokerAdminClient;
import org.ppml.kmsclient.broker.KeyBrokerClient;
import org.ppml.kmsclient.broker.KeyBrokerException;

/** The broker end to end: real TLS on loopback, real SQLite, real simulated quotes. */
class KeyBrokerEndToEndTest {
  @TempDir static Path tmp;
  static BrokerFixture broker;
  static KeyBrokerAdminClient admin;

  @BeforeAll
  static void start() throws Exception {
    broker = new BrokerFixture(tmp);
    admin = broker.admin();
    admin.createKey("sales", broker.simulatedPolicy());
    admin.createKey(
        "strict",
        "{\"mrEnclave\":[\""
            + BrokerFixture.hex(BrokerFixture.OTHER_MRENCLAVE)
            + "\"],\"allowSimulated\":true,\"allowDebug\":true}");
    admin.createKey(
        "nodebug",
        "{\"mrSigner\":\""
            + BrokerFixture.hex(broker.devHome.mrSigner())
            + "\",\"allowSimulated\":true}");
    admin.createKey("nosim", "{\"allowDebug\":true}");
  }

  @AfterAll
  static void stop() throws Exception {
    broker.close();
  }

  @Test
  void firstStartWritesEndpointAdminTokenAndPrintsTheFingerprint() throws Exception {
    Path data = broker.dataDir();
    JsonNode endpoint =
        RawKbs.JSON.readTree(Files.readString(data.resolve(KeyBrokerServer.ENDPOINT_FILE)));
    assertEquals(broker.server.url(), endpoint.get("url").asText());
    assertEquals(broker.server.tlsSha256(), endpoint.get("tlsSha256").asText());
    assertEquals(
        broker.adminToken, Files.readString(data.resolve(KeyBrokerServer.ADMIN_TOKEN_FILE)).trim());
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(data.resolve(KeyBrokerServer.ADMIN_TOKEN_FILE))));
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("master.key"))));
    String banner = broker.banner.toString(StandardCharsets.UTF_8);
    assertTrue(banner.contains(broker.server.tlsSha256()), banner);
    assertTrue(banner.contains("development mode"), banner);
  }

  @Test
  void attestedClientGetsADataKeyAndUnwrapReturnsTheSameKey() throws Exception {
    KeyBrokerClient client = broker.enclaveClient();
    Map<String, Object> claims = client.attest();
    assertEquals(true, claims.get("simulated"));
    assertEquals(BrokerFixture.hex(BrokerFixture.MRENCLAVE), claims.get("mrEnclave"));
    assertEquals("SGX", claims.get("teeType"));
    for (String claim :
        List.of(
            "iss",
            "jti",
            "iat",
            "exp",
            "teeType",
            "simulated",
            "mrEnclave",
            "mrSigner",
            "isvProdId",
            "isvSvn",
            "debug",
            "tcbStatus",
            "advisoryIds",
            "tcbEvaluationDataNumber",
            "tee-pubkey",
            "cnf")) {
      assertTrue(claims.containsKey(claim), claim + " missing from " + claims.keySet());
    }
    assertEquals("ppml-kms", claims.get("iss"));
    assertEquals(BrokerFixture.hex(broker.devHome.mrSigner()), claims.get("mrSigner"));
    assertEquals(true, claims.get("debug"));
    // The default lifetime, 10 minutes.
    assertEquals(
        600L, ((Number) claims.get("exp")).longValue() - ((Number) claims.get("iat")).longValue());
    // cnf.jkt is the RFC 7638 thumbprint of the tee-pubkey the token carries.
    @SuppressWarnings("unchecked")
    Map<String, Object> teeKey = (Map<String, Object>) claims.get("tee-pubkey");
    @SuppressWarnings("unchecked")
    Map<String, Object> cnf = (Map<String, Object>) claims.get("cnf");
    assertEquals(
        com.nimbusds.jose.jwk.JWK.parse(teeKey).computeThumbprint().toString(), cnf.get("jkt"));
    try (DataKey key = client.dataKey("sales")) {
      assertEquals(LocalKeyWrap.WRAPPED_LENGTH, key.wrapped().wrapped().length);
      try (DataKey again = client.unwrap(key.wrapped())) {
        assertArrayEquals(key.keyBytes(), again.keyBytes());
      }
      // Another enclave process (its own TEE key) unwraps the same header to the same key.
      try (DataKey other = broker.enclaveClient().unwrap(key.wrapped())) {
        assertArrayEquals(key.keyBytes(), other.keyBytes());
      }
    }
    List<JsonNode> audit = admin.audit(null);
    assertTrue(audit.stream().anyMatch(r -> r.get("event").asText().equals("auth")));
    assertTrue(
        audit.stream()
            .anyMatch(
                r ->
                    r.get("event").asText().equals("attest")
                        && r.get("decision").asText().equals("allow")
                        && r.get("simulated").asBoolean()
                        && r.get("mrEnclave")
                            .asText()
                            .equals(BrokerFixture.hex(BrokerFixture.MRENCLAVE))));
    assertTrue(
        audit.stream()
            .anyMatch(
                r ->
                    r.get("event").asText().equals("datakey")
                        && r.get("keyName").asText().equals("sales")
                        && r.get("decision").asText().equals("allow")));
    assertTrue(
        audit.stream()
            .anyMatch(
                r ->
                    r.get("event").asText().equals("unwrap")
                        && r.get("decision").asText().equals("allow")));
  }

  @Test
  void tokenForOneKeyCannotReleaseUnderAStricterPolicy() throws Exception {
    KeyBrokerClient client = broker.enclaveClient();
    client.dataKey("sales").close();
    KeyBrokerException e = assertThrows(KeyBrokerException.class, () -> client.dataKey("strict"));
    assertEquals(403, e.status());
    assertEquals(KmsException.Reason.DENIED, e.reason());
    assertTrue(
        e.violations().stream().anyMatch(v -> v.startsWith("mrEnclave")),
        e.violations().toString());
    List<JsonNode> audit = admin.audit(null);
    assertTrue(
        audit.stream()
            .anyMatch(
                r ->
                    r.get("event").asText().equals("datakey")
                        && r.get("keyName").asText().equals("strict")
                        && r.get("decision").asText().equals("deny")
                        && r.get("violations").toString().contains("mrEnclave")),
        audit.toString());
  }

  @Test
  void debugAndSimulatedEvidenceAreDeniedUnlessThePolicyAllowsThem() throws Exception {
    KeyBrokerClient client = broker.enclaveClient();
    KeyBrokerException debug =
        assertThrows(KeyBrokerException.class, () -> client.dataKey("nodebug"));
    assertEquals(403, debug.status());
    assertTrue(
        debug.violations().stream().anyMatch(v -> v.startsWith("allowDebug")),
        debug.violations().toString());
    KeyBrokerException sim = assertThrows(KeyBrokerException.class, () -> client.dataKey("nosim"));
    assertEquals(403, sim.status());
    assertTrue(
        sim.violations().stream().anyMatch(v -> v.startsWith("allowSimulated")),
        sim.violations().toString());
    // Unwrap of a real wrapped key under a key the enclave may not use is denied before any unwrap.
    KeyBrokerException unwrap =
        assertThrows(
            KeyBrokerException.class,
            () ->
                client.unwrap(new WrappedKey("strict", 1, new byte[LocalKeyWrap.WRAPPED_LENGTH])));
    assertEquals(403, unwrap.status());
  }

  @Test
  void unknownKeyIs404AndDisabledKeyIs403() throws Exception {
    KeyBrokerClient client = broker.enclaveClient();
    KeyBrokerException missing =
        assertThrows(KeyBrokerException.class, () -> client.dataKey("no-such-key"));
    assertEquals(404, missing.status());
    admin.createKey("soon-off", broker.simulatedPolicy());
    client.dataKey("soon-off").close();
    admin.disableKey("soon-off");
    KeyBrokerException off =
        assertThrows(KeyBrokerException.class, () -> client.dataKey("soon-off"));
    assertEquals(403, off.status());
  }

  @Test
  void aChangedPolicyHoldsFromTheNextReleaseOn() throws Exception {
    admin.createKey("tightened", broker.simulatedPolicy());
    KeyBrokerClient client = broker.enclaveClient();
    WrappedKey wrapped;
    try (DataKey k = client.dataKey("tightened")) {
      wrapped = k.wrapped();
    }
    client.unwrap(wrapped).close();
    admin.setPolicy(
        "tightened",
        "{\"mrEnclave\":[\""
            + BrokerFixture.hex(BrokerFixture.OTHER_MRENCLAVE)
            + "\"],\"allowSimulated\":true,\"allowDebug\":true}");
    KeyBrokerException denied =
        assertThrows(KeyBrokerException.class, () -> client.unwrap(wrapped));
    assertEquals(403, denied.status());
    assertTrue(
        denied.violations().stream().anyMatch(v -> v.startsWith("mrEnclave")),
        denied.violations().toString());
    admin.setPolicy("tightened", broker.simulatedPolicy());
    client.unwrap(wrapped).close();
  }

  @Test
  void anUnknownVersionOfAKnownKeyIs404() throws Exception {
    KeyBrokerClient client = broker.enclaveClient();
    try (DataKey k = client.dataKey("sales")) {
      WrappedKey wrongVersion = new WrappedKey("sales", 7, k.wrapped().wrapped());
      KeyBrokerException e =
          assertThrows(KeyBrokerException.class, () -> client.unwrap(wrongVersion));
      assertEquals(404, e.status());
      assertTrue(e.getMessage().contains("no version 7"), e.getMessage());
    }
  }

  @Test
  void rotationKeepsOldVersionsUnwrapping() throws Exception {
    admin.createKey("rotating", broker.simulatedPolicy());
    KeyBrokerClient client = broker.enclaveClient();
    try (DataKey v1 = client.dataKey("rotating")) {
      assertEquals(2, admin.rotateKey("rotating").primaryVersion());
      try (DataKey v2 = client.dataKey("rotating");
          DataKey back = client.unwrap(v1.wrapped())) {
        assertEquals(2, v2.wrapped().keyVersion());
        assertArrayEquals(v1.keyBytes(), back.keyBytes());
      }
    }
  }

  @Test
  void aTamperedWrappedKeyIsAnUnwrapFailureNotAMalformedRequest() throws Exception {
    KeyBrokerClient client = broker.enclaveClient();
    byte[] wrapped;
    try (DataKey key = client.dataKey("sales")) {
      wrapped = key.wrapped().wrapped();
    }
    wrapped[wrapped.length - 1] ^= 1;
    WrappedKey tampered = new WrappedKey("sales", 1, wrapped);
    KeyBrokerException e = assertThrows(KeyBrokerException.class, () -> client.unwrap(tampered));
    assertEquals(400, e.status());
    assertEquals("urn:ppml:kms:unwrap-failed", e.problemType());
    // Readers and rewrap turn this reason into an integrity failure of the file.
    assertEquals(KmsException.Reason.UNWRAP_FAILED, e.reason());
  }

  @Test
  void reportDataThatDoesNotBindTheRuntimeDataIsNotAttested() throws Exception {
    EvidenceProvider real = broker.devHome.provider(BrokerFixture.MRENCLAVE);
    EvidenceProvider unbound =
        new EvidenceProvider() {
          @Override
          public String name() {
            return "unbound";
          }

          @Override
          public Evidence evidence(byte[] reportData)
              throws org.ppml.attestation.evidence.EvidenceException {
            return real.evidence(new byte[64]);
          }
        };
    KeyBrokerException e =
        assertThrows(KeyBrokerException.class, () -> broker.client(unbound).attest());
    // KBS 0.4.0 as Trustee answers it: 401 with {type, detail}.
    assertEquals(401, e.status());
    assertEquals(KbsErrorType.AttestationError.uri(), e.problemType());
    assertEquals(KmsException.Reason.DENIED, e.reason());
    assertTrue(e.getMessage().contains("binding: REPORT_DATA"), e.getMessage());
  }

  @Test
  void aQuoteWithATamperedSignatureIsNotAttested() throws Exception {
    EvidenceProvider real = broker.devHome.provider(BrokerFixture.MRENCLAVE);
    EvidenceProvider tampered =
        new EvidenceProvider() {
          @Override
          public String name() {
            return "tampered";
          }

          @Override
          public Evidence evidence(byte[] reportData)
              throws org.ppml.attestation.evidence.EvidenceException {
            byte[] q = real.evidence(reportData).quote();
            q[436 + 10] ^=
                1; // inside the ECDSA quote signature, after the 432-byte signed region and length
            return new Evidence(org.ppml.attestation.quote.TeeType.SGX, q, "tampered");
          }
        };
    KeyBrokerException e =
        assertThrows(KeyBrokerException.class, () -> broker.client(tampered).attest());
    assertEquals(401, e.status());
    assertEquals(KbsErrorType.AttestationError.uri(), e.problemType());
    assertTrue(
        e.getMessage().contains("quote: ") && e.getMessage().contains("QUOTE_SIGNATURE"),
        e.getMessage());
  }

  @Test
  void aReplayedNonceIsRefused() throws Exception {
    RawKbs raw = new RawKbs(broker.url(), broker.tls());
    RawKbs.Reply auth = raw.auth();
    assertEquals(200, auth.status());
    String nonce = auth.json().get("nonce").asText();
    String body =
        attestBody(nonce, new ECKeyGenerator(Curve.P_256).generate().toPublicJWK().toJSONObject());
    String cookie = "kbs-session-id=" + auth.session();
    assertEquals(200, raw.postJson("/kbs/v0/attest", body, "Cookie", cookie).status());
    RawKbs.Reply replay = raw.postJson("/kbs/v0/attest", body, "Cookie", cookie);
    assertEquals(401, replay.status());
    assertEquals("application/json", replay.contentType());
    assertEquals(KbsErrorType.AttestationError.uri(), replay.json().path("type").asText());
    assertTrue(
        replay.json().path("detail").asText().contains("Attest failed: nonce:"), replay.body());
    assertFalse(replay.body().contains("\"token\""), replay.body());
    // A nonce from another session is refused too.
    RawKbs.Reply second = raw.auth();
    String stolen =
        attestBody(
            second.json().get("nonce").asText(),
            new ECKeyGenerator(Curve.P_256).generate().toPublicJWK().toJSONObject());
    assertEquals(401, raw.postJson("/kbs/v0/attest", stolen, "Cookie", cookie).status());
  }

  @Test
  void tamperedOrForeignTokensAreNotAttested() throws Exception {
    KeyBrokerClient client = broker.enclaveClient();
    String token = client.token();
    RawKbs raw = new RawKbs(broker.url(), broker.tls());
    String[] parts = token.split("\\.");
    // Change a claim but keep the signature: the signature step fails.
    JsonNode claims = RawKbs.JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    ((ObjectNode) claims).put("mrEnclave", BrokerFixture.hex(BrokerFixture.OTHER_MRENCLAVE));
    String forged =
        parts[0]
            + "."
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[2];
    for (String bad :
        List.of(forged, token.substring(0, token.length() - 3) + "AAA", "not-a-jwt", "")) {
      RawKbs.Reply r =
          raw.postJson(
              "/ppml/v1/datakey", "{\"keyName\":\"sales\"}", "Authorization", "Bearer " + bad);
      assertEquals(401, r.status(), bad + " -> " + r.body());
      assertFalse(r.body().contains("\"jwe\""));
    }
    assertEquals(401, raw.postJson("/ppml/v1/datakey", "{\"keyName\":\"sales\"}").status());
    // A refused token is audited with the step that refused it; the forged one fails its signature.
    assertTrue(
        admin.audit(null).stream()
            .anyMatch(
                r ->
                    r.get("event").asText().equals("token")
                        && r.get("decision").asText().equals("deny")
                        && r.get("violations").toString().contains("signature")
                        && r.get("detail").asText().equals("POST /ppml/v1/datakey")));
  }

  @Test
  void refusedRequestsLeaveThePooledConnectionUsable() throws Exception {
    // Each refusal happens before the body is read; the next POST on the same pooled
    // connection must still get its own answer rather than a dropped connection.
    RawKbs raw = new RawKbs(broker.url(), broker.tls());
    String body = "{\"keyName\":\"sales\",\"pad\":\"" + "x".repeat(20_000) + "\"}";
    for (int i = 0; i < 100; i++) {
      RawKbs.Reply r =
          raw.postJson("/ppml/v1/datakey", body, "Authorization", "Bearer not-a-jwt-" + i);
      assertEquals(401, r.status(), "request " + i);
      assertEquals(404, raw.postJson("/nowhere", body).status(), "request " + i);
    }
  }

  @Test
  void aTokenPresentedWithAnotherTeeKeyIsDenied() throws Exception {
    String token = broker.enclaveClient().token();
    RawKbs raw = new RawKbs(broker.url(), broker.tls());
    String otherKey =
        new ECKeyGenerator(Curve.P_256)
            .algorithm(JWEAlgorithm.ECDH_ES_A256KW)
            .generate()
            .toPublicJWK()
            .toJSONString();
    RawKbs.Reply r =
        raw.postJson(
            "/ppml/v1/datakey",
            "{\"keyName\":\"sales\",\"tee-pubkey\":" + otherKey + "}",
            "Authorization",
            "Bearer " + token);
    assertEquals(403, r.status(), r.body());
    assertTrue(r.body().contains("tee-pubkey"), r.body());
    assertFalse(r.body().contains("jwe"), r.body());
    assertTrue(
        admin.audit(null).stream()
            .anyMatch(
                a ->
                    a.get("decision").asText().equals("deny")
                        && a.get("violations").toString().contains("tee-pubkey")));
  }

  @Test
  void adminApiNeedsTheAdminToken() throws Exception {
    RawKbs raw = new RawKbs(broker.url(), broker.tls());
    assertEquals(401, raw.send("GET", "/admin/v1/keys", null, null).status());
    assertEquals(
        401,
        raw.send("GET", "/admin/v1/keys", null, null, "Authorization", "Bearer ppml_admin_wrong")
            .status());
    String writer = admin.issueWriterToken("spark driver");
    assertEquals(
        401,
        raw.send("GET", "/admin/v1/keys", null, null, "Authorization", "Bearer " + writer)
            .status());
    // An attestation token is not an admin token either.
    String attestation = broker.enclaveClient().token();
    assertEquals(
        401,
        raw.send("GET", "/admin/v1/keys", null, null, "Authorization", "Bearer " + attestation)
            .status());
    assertEquals(
        200,
        raw.send(
                "GET", "/admin/v1/keys", null, null, "Authorization", "Bearer " + broker.adminToken)
            .status());
  }

  @Test
  void writerTokenGetsOnlyAWrappedKeyThatAnEnclaveCanUnwrap() throws Exception {
    String writer = admin.issueWriterToken("driver");
    KeyBrokerClient driver = broker.client(null);
    WrappedKey wrapped = driver.wrappedDataKey("sales", writer);
    assertEquals("sales", wrapped.keyName());
    try (DataKey key = broker.enclaveClient().unwrap(wrapped)) {
      assertEquals(32, key.keyBytes().length);
    }
    RawKbs raw = new RawKbs(broker.url(), broker.tls());
    assertEquals(
        401,
        raw.postJson(
                "/ppml/v1/datakey", "{\"keyName\":\"sales\"}", "Authorization", "Bearer " + writer)
            .status());
  }

  @Test
  void anAdminTokenIsNotAWriterTokenAndItsRefusalIsAudited() throws Exception {
    RawKbs raw = new RawKbs(broker.url(), broker.tls());
    RawKbs.Reply refused =
        raw.postJson(
            "/ppml/v1/wrapped-datakey",
            "{\"keyName\":\"sales\"}",
            "Authorization",
            "Bearer " + broker.adminToken);
    assertEquals(401, refused.status(), refused.body());
    assertEquals("urn:ppml:kms:unauthorized", refused.json().get("type").asText());
    assertFalse(refused.body().contains("wrappedKey"));
    assertTrue(
        admin.audit(null).stream()
            .anyMatch(
                a ->
                    a.get("event").asText().equals("api-token")
                        && a.get("decision").asText().equals("deny")
                        && a.get("violations").toString().contains("role:")
                        && a.get("detail").asText().equals("POST /ppml/v1/wrapped-datakey")),
        "the refusal is in the audit log");
  }

  @Test
  void kbsWireProtocolWithAnRsaTeeKeyReleasesAResource() throws Exception {
    byte[] secret = "resource-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    admin.putResource("ppml/keys/shared", secret, broker.simulatedPolicy());
    RawKbs raw = new RawKbs(broker.url(), broker.tls());
    RawKbs.Reply auth = raw.auth();
    RSAKey rsa = new RSAKeyGenerator(2048).generate();
    String body = attestBody(auth.json().get("nonce").asText(), rsa.toPublicJWK().toJSONObject());
    RawKbs.Reply attest =
        raw.postJson("/kbs/v0/attest", body, "Cookie", "kbs-session-id=" + auth.session());
    assertEquals(200, attest.status(), attest.body());
    String token = attest.json().get("token").asText();
    RawKbs.Reply res =
        raw.send(
            "GET",
            "/kbs/v0/resource/ppml/keys/shared",
            null,
            null,
            "Authorization",
            "Bearer " + token);
    assertEquals(200, res.status(), res.body());
    JWEObjectJSON jwe = JWEObjectJSON.parse(res.body());
    assertEquals("RSA-OAEP-256", jwe.getHeader().getAlgorithm().getName());
    assertEquals("A256GCM", jwe.getHeader().getEncryptionMethod().getName());
    jwe.decrypt(new RSADecrypter(rsa));
    assertArrayEquals(secret, jwe.getPayload().toBytes());
    // The session cookie alone also works, as KBS clients expect.
    RawKbs.Reply viaCookie =
        raw.send(
            "GET",
            "/kbs/v0/resource/ppml/keys/shared",
            null,
            null,
            "Cookie",
            "kbs-session-id=" + auth.session());
    assertEquals(200, viaCookie.status());
    // A missing resource is Trustee's PluginInternalError: 401, not 404.
    RawKbs.Reply missing =
        raw.send(
            "GET",
            "/kbs/v0/resource/ppml/keys/missing",
            null,
            null,
            "Authorization",
            "Bearer " + token);
    assertEquals(401, missing.status(), missing.body());
    assertEquals(KbsErrorType.PluginInternalError.uri(), missing.json().path("type").asText());
  }

  @Test
  void ourClientFetchesResourcesWithItsEcTeeKey() throws Exception {
    byte[] secret = new byte[] {1, 2, 3, 4, 5};
    admin.putResource("repo/type/tag", secret, broker.simulatedPolicy());
    assertArrayEquals(secret, broker.enclaveClient().resource("repo/type/tag"));
  }

  @Test
  void anAdministratorReadsAResourceBackAndTheReadIsAudited() throws Exception {
    byte[] secret = new byte[] {9, 8, 7};
    admin.putResource("repo/type/readback", secret, broker.simulatedPolicy());
    KeyBrokerAdminClient.StoredResource back = admin.getResource("repo/type/readback");
    assertArrayEquals(secret, back.content());
    assertEquals(
        RawKbs.JSON.readTree(broker.simulatedPolicy()).get("mrSigner"),
        back.policy().get("mrSigner"));
    assertFalse(back.toString().contains("9"), back.toString());
    admin.putResource("repo/type/nopolicy", secret, null);
    assertEquals(null, admin.getResource("repo/type/nopolicy").policy());
    KeyBrokerException missing =
        assertThrows(KeyBrokerException.class, () -> admin.getResource("repo/type/none"));
    assertEquals(404, missing.status());
    assertTrue(
        admin.audit(null).stream()
            .anyMatch(
                r ->
                    r.get("event").asText().equals("admin.get-resource")
                        && r.get("keyName").asText().equals("repo/type/readback")));
  }

  @Test
  void kmsRegistryOpensTheBrokerByUri() throws Exception {
    String uri =
        "ppml+https://127.0.0.1:"
            + broker.server.port()
            + "?tlsSha256="
            + broker.server.tlsSha256()
            + "&provider=simulated&dev=true&devHome="
            + broker.devHome.directory()
            + "&mrEnclave="
            + BrokerFixture.hex(BrokerFixture.MRENCLAVE)
            + "&adminTokenFile="
            + broker.dataDir().resolve(KeyBrokerServer.ADMIN_TOKEN_FILE);
    KmsException notDev =
        assertThrows(
            KmsException.class,
            () -> KmsRegistry.open(uri.replace("&dev=true", ""), KmsCredentials.of(null, null)));
    assertTrue(
        notDev.getMessage().contains("dev"), "simulated evidence is refused outside dev mode");
    try (Kms kms = KmsRegistry.open(uri, KmsCredentials.of(null, null))) {
      assertEquals("ppml+https://127.0.0.1:" + broker.server.port(), kms.reference());
      assertTrue(
          KmsCapability.require(kms, KeyAdministration.class, "listing keys").listKeys().stream()
              .anyMatch(k -> k.name().equals("sales")));
      try (DataKey key = kms.generateDataKey("sales");
          DataKey back = kms.unwrap(key.wrapped())) {
        assertArrayEquals(key.keyBytes(), back.keyBytes());
      }
    }
    KmsException wrongPin =
        assertThrows(
            KmsException.class,
            () -> {
              try (Kms kms =
                  KmsRegistry.open(
                      "ppml+https://127.0.0.1:"
                          + broker.server.port()
                          + "?tlsSha256="
                          + "00".repeat(32)
                          + "&provider=simulated&dev=true&devHome="
                          + broker.devHome.directory(),
                      null)) {
                kms.generateDataKey("sales");
              }
            });
    assertEquals(KmsException.Reason.UNAVAILABLE, wrongPin.reason());
  }

  @Test
  void hostileRequestsGetTyped4xxAndTheServerStaysHealthy() throws Exception {
    RawKbs raw = new RawKbs(broker.url(), broker.tls());
    List<RawKbs.Reply> replies =
        List.of(
            raw.postJson("/kbs/v0/auth", "{\"version\":\"9.9.9\",\"tee\":\"sgx\"}"),
            raw.postJson("/kbs/v0/auth", "{\"version\":\"0.4.0\",\"tee\":\"sg"),
            raw.postJson("/kbs/v0/auth", "{\"version\":0.4,\"tee\":\"sgx\"}"),
            raw.postJson("/kbs/v0/auth", "[1,2,3]"),
            raw.postJson(
                "/kbs/v0/auth", "{\"version\":\"0.4.0\",\"version\":\"0.4.0\",\"tee\":\"sgx\"}"),
            raw.postJson("/kbs/v0/auth", "[".repeat(5000)),
            raw.send("POST", "/kbs/v0/auth", "text/plain", "{}".getBytes(StandardCharsets.UTF_8)),
            raw.postJson(
                "/kbs/v0/auth",
                "{\"version\":\"0.4.0\",\"tee\":\"sgx\",\"x\":\"" + "a".repeat(20_000) + "\"}"),
            raw.postJson(
                "/admin/v1/keys",
                "{\"name\":\"" + "a".repeat(70_000) + "\"}",
                "Authorization",
                "Bearer " + broker.adminToken),
            raw.postJson("/kbs/v0/attest", "{\"runtime-data\":5}"),
            raw.postJson(
                "/kbs/v0/attest",
                "{\"runtime-data\":{\"nonce\":\"x\",\"tee-pubkey\":{}},\"tee-evidence\":\"!!\"}"),
            raw.send("GET", "/kbs/v0/auth", null, null),
            raw.send("GET", "/kbs/v0/nothing", null, null),
            raw.send("GET", "/", null, null),
            raw.send("GET", "/kbs/v0/resource/../../etc", null, null),
            raw.postJson("/ppml/v1/unwrap", "{\"keyName\":5}", "Authorization", "Bearer x.y.z"),
            raw.postJson("/kbs/v0/auth", "{}", "X-Padding", "p".repeat(20_000)));
    // Replies 8 (admin), 13 (no endpoint), 14 (the client resolves it to /kbs/etc), 15 (/ppml)
    // and 16 (Jetty: header too large) are RFC 7807; the rest are on /kbs/v0/* and carry
    // Trustee's {type, detail}.
    Set<Integer> problems = Set.of(8, 13, 14, 15, 16);
    for (int i = 0; i < replies.size(); i++) {
      RawKbs.Reply r = replies.get(i);
      assertTrue(r.status() >= 400 && r.status() < 500, r.status() + " " + r.body());
      assertFalse(r.body().contains("Exception") || r.body().contains("\tat "), r.body());
      JsonNode p = r.json();
      if (problems.contains(i)) {
        assertEquals("application/problem+json", r.contentType(), r.body());
        assertEquals(r.status(), p.get("status").asInt());
        assertTrue(p.get("type").asText().startsWith("urn:ppml:kms:"), r.body());
      } else {
        assertEquals("application/json", r.contentType(), r.body());
        assertEquals(Set.of("type", "detail"), fieldNames(p), r.body());
        assertTrue(
            p.get("type").asText().startsWith(KbsErrorType.PREFIX)
                || p.get("type").asText().startsWith("urn:ppml:kms:"),
            r.body());
      }
    }
    assertEquals(401, replies.get(0).status());
    assertTrue(
        replies.get(0).json().get("detail").asText().contains("Version Mismatch"),
        replies.get(0).body());
    assertEquals(401, replies.get(1).status());
    assertEquals(415, replies.get(6).status());
    assertEquals(413, replies.get(7).status());
    assertEquals(413, replies.get(8).status());
    assertEquals(401, replies.get(10).status());
    assertTrue(
        replies.get(10).json().get("detail").asText().contains("tee-pubkey is not a valid JWK"),
        replies.get(10).body());
    assertEquals(404, replies.get(11).status());
    assertEquals(KbsErrorType.PluginNotFound.uri(), replies.get(11).json().get("type").asText());
    assertEquals(404, replies.get(12).status());
    assertEquals(431, replies.get(16).status());
    // Healthy for a new client: Jetty closes the connection after a 431, and the old client's
    // pool may still hand that connection to a POST, which then fails with a broken pipe (seen
    // once in CI) before it reaches the server.
    assertEquals(200, new RawKbs(broker.url(), broker.tls()).auth().status());
    broker.enclaveClient().dataKey("sales").close();
  }

  @Test
  void keyMaterialNeverReachesTheDatabaseTheAuditOrTheLogs() throws Exception {
    byte[] key;
    try (DataKey k = broker.enclaveClient().dataKey("sales")) {
      key = k.keyBytes();
    }
    byte[] db = broker.databaseBytes();
    assertFalse(contains(db, key), "raw data key in the database");
    for (String encoded :
        List.of(Base64.getEncoder().encodeToString(key), BrokerFixture.hex(key))) {
      assertFalse(
          contains(db, encoded.getBytes(StandardCharsets.US_ASCII)),
          "encoded data key in the database");
      assertFalse(
          broker.banner.toString(StandardCharsets.UTF_8).contains(encoded), "data key in the log");
      for (JsonNode r : admin.audit(null)) {
        assertFalse(r.toString().contains(encoded), "data key in the audit");
      }
    }
  }

  @Test
  void concurrentClientsAttestAndUnwrapWithoutErrors() throws Exception {
    WrappedKey wrapped;
    byte[] expected;
    try (DataKey k = broker.enclaveClient().dataKey("sales")) {
      wrapped = k.wrapped();
      expected = k.keyBytes();
    }
    // The issue's load: 32 concurrent clients, about 2000 attest-and-unwrap cycles in all. Each
    // cycle attests afresh (new nonce, quote, token) and then unwraps with that token.
    int clients = 32;
    int cycles = 63;
    java.util.concurrent.ExecutorService exec =
        java.util.concurrent.Executors.newFixedThreadPool(clients);
    try {
      List<java.util.concurrent.Future<Integer>> done = new java.util.ArrayList<>();
      for (int c = 0; c < clients; c++) {
        done.add(
            exec.submit(
                () -> {
                  int ok = 0;
                  KeyBrokerClient client = broker.enclaveClient();
                  for (int i = 0; i < cycles; i++) {
                    client.attest();
                    try (DataKey k = client.unwrap(wrapped)) {
                      assertArrayEquals(expected, k.keyBytes());
                      ok++;
                    }
                  }
                  return ok;
                }));
      }
      int total = 0;
      for (var f : done) {
        total += f.get();
      }
      assertEquals(clients * cycles, total);
    } finally {
      exec.shutdownNow();
    }
  }

  @Test
  void aDenialCarriesNoKeyInItsBody() throws Exception {
    String token = broker.enclaveClient().token();
    RawKbs raw = new RawKbs(broker.url(), broker.tls());
    RawKbs.Reply r =
        raw.postJson(
            "/ppml/v1/datakey", "{\"keyName\":\"strict\"}", "Authorization", "Bearer " + token);
    assertEquals(403, r.status());
    assertEquals("application/problem+json", r.contentType());
    assertFalse(
        r.body().contains("jwe")
            || r.body().contains("wrappedKey")
            || r.body().contains("ciphertext"),
        r.body());
    assertTrue(r.json().get("violations").size() > 0, r.body());
  }

  static String attestBody(String nonce, Map<String, Object> jwk) throws Exception {
    return KeyBrokerEndToEndTestSupport.attestBody(broker, nonce, jwk);
  }

  static boolean contains(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static Set<String> fieldNames(JsonNode n) {
    Set<String> names = new java.util.TreeSet<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
