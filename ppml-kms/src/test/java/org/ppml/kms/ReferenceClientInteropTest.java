package org.ppml.kms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.kmsclient.broker.KbsErrorType;
import org.ppml.kmsclient.broker.KeyBrokerAdminClient;

/**
 * Our broker (real TLS on loopback, real SQLite, simulated SGX evidence) against a client that
 * follows the reference client's rules ({@link ReferenceKbsClient}): it releases a data key held as
 * the KBS resource {@code ppml/keys/N} to an EC and to an RSA TEE key, with protected headers whose
 * bytes the reference client's AAD rebuild reproduces, and refuses in Trustee's statuses and error
 * bodies.
 */
class ReferenceClientInteropTest {
  private static final String EC_HEADER =
      "\\{\"alg\":\"ECDH-ES\\+A256KW\",\"enc\":\"A256GCM\",\"epk\":\\{\"crv\":\"P-256\","
          + "\"kty\":\"EC\",\"x\":\"[A-Za-z0-9_-]{43}\",\"y\":\"[A-Za-z0-9_-]{43}\"\\}\\}";
  private static final String RSA_HEADER = "{\"alg\":\"RSA-OAEP-256\",\"enc\":\"A256GCM\"}";

  @TempDir static Path tmp;
  static BrokerFixture broker;
  static KeyBrokerAdminClient admin;
  static RawKbs raw;
  static byte[] dataKey = new byte[32];

  @BeforeAll
  static void start() throws Exception {
    broker = new BrokerFixture(tmp);
    admin = broker.admin();
    raw = new RawKbs(broker.url(), broker.tls());
    new SecureRandom().nextBytes(dataKey);
    admin.putResource("ppml/keys/ref", dataKey, broker.simulatedPolicy());
    admin.putResource(
        "ppml/keys/other-enclave",
        dataKey,
        "{\"mrEnclave\":[\""
            + "cc".repeat(32)
            + "\"],\"allowSimulated\":true,\"allowDebug\":true}");
  }

  @AfterAll
  static void stop() throws Exception {
    broker.close();
  }

  @Test
  void anEcTeeKeyReceivesTheDataKeyWithAHeaderTheReferenceClientRebuildsByteForByte()
      throws Exception {
    ReferenceKbsClient client = new ReferenceKbsClient(raw, ReferenceKbsClient.KeyKind.EC);
    client.handshake(broker);
    // The challenge as Trustee sends it: a nonce and an empty-string extra-params.
    JsonNode challenge = client.lastAuth.json();
    assertEquals(List.of("nonce", "extra-params"), names(challenge), challenge.toString());
    assertEquals("", challenge.get("extra-params").textValue());
    assertEquals(32, Base64.getDecoder().decode(challenge.get("nonce").asText()).length);

    RawKbs.Reply r = client.getResource("ppml/keys/ref");
    assertEquals(200, r.status(), r.body());
    JsonNode jwe = r.json();
    assertEquals(List.of("protected", "encrypted_key", "iv", "ciphertext", "tag"), names(jwe));
    String header = protectedText(jwe);
    assertTrue(header.matches(EC_HEADER), header);
    assertEquals(
        ReferenceKbsClient.reserialisedHeader(RawKbs.JSON.readTree(header)),
        header,
        "the reference client's re-serialisation gives other bytes than the wire header");
    assertArrayEquals(dataKey, client.decryptResponse(jwe));
  }

  @Test
  void anRsaTeeKeyReceivesTheDataKeyUnderRsaOaep256() throws Exception {
    ReferenceKbsClient client = new ReferenceKbsClient(raw, ReferenceKbsClient.KeyKind.RSA);
    client.handshake(broker);
    RawKbs.Reply r = client.getResource("ppml/keys/ref");
    assertEquals(200, r.status(), r.body());
    assertEquals(RSA_HEADER, protectedText(r.json()));
    assertArrayEquals(dataKey, client.decryptResponse(r.json()));
  }

  @Test
  void refusalsCarryTrusteesStatusesAndBodies() throws Exception {
    ReferenceKbsClient client = new ReferenceKbsClient(raw, ReferenceKbsClient.KeyKind.EC);
    client.handshake(broker);
    // A missing resource: 401 PluginInternalError, so the reference client re-handshakes and then
    // reports it, as against Trustee.
    assertKbsError(client.getResource("ppml/keys/absent"), KbsErrorType.PluginInternalError);
    assertKbsError(client.getResource("ppml/keys/other-enclave"), KbsErrorType.PolicyDeny);
    assertKbsError(
        raw.send("GET", "/kbs/v0/resource/ppml/keys/ref", null, null), KbsErrorType.TokenNotFound);
    assertKbsError(
        raw.send(
            "GET", "/kbs/v0/resource/ppml/keys/ref", null, null, "Authorization", "Bearer a.b.c"),
        KbsErrorType.TokenVerifierError);
    assertKbsError(client.getResource("ppml/keys"), KbsErrorType.InvalidRequestPath);
    assertKbsError(
        raw.send("GET", "/kbs/v0/no-such-plugin", null, null), KbsErrorType.PluginNotFound);
    RawKbs.Reply version =
        raw.postJson(
            "/kbs/v0/auth", "{\"version\":\"0.3.0\",\"tee\":\"sgx\",\"extra-params\":\"\"}");
    assertKbsError(version, KbsErrorType.AttestationError);
    assertTrue(version.json().get("detail").asText().contains("0.4.0"), version.body());
    RawKbs.Reply auth = raw.postJson("/kbs/v0/auth", ReferenceKbsClient.authBody("sgx"));
    RawKbs.Reply noCookie = raw.postJson("/kbs/v0/attest", simulatedAttestBody(auth));
    assertKbsError(noCookie, KbsErrorType.AttestationError);
    assertTrue(
        noCookie.json().get("detail").asText().contains("call /kbs/v0/auth first"),
        noCookie.body());
  }

  @Test
  void teeNamesAreKbsTypesNamesAndUnverifiableOnesAreRefusedAtAttest() throws Exception {
    for (String tee : List.of("azsnpvtpm", "snp", "sample", "sampledevice", "az-snp-vtpm")) {
      RawKbs.Reply auth = raw.postJson("/kbs/v0/auth", ReferenceKbsClient.authBody(tee));
      assertEquals(200, auth.status(), tee + ": " + auth.body());
      RawKbs.Reply attest =
          raw.postJson(
              "/kbs/v0/attest",
              simulatedAttestBody(auth),
              "Cookie",
              "kbs-session-id=" + auth.session());
      assertKbsError(attest, KbsErrorType.AttestationError);
      String detail = attest.json().get("detail").asText();
      assertTrue(
          tee.equals("az-snp-vtpm")
              ? detail.contains("not a TEE name kbs-types defines")
              : detail.contains("cannot be verified by this broker"),
          tee + ": " + detail);
    }
    // A tdx session with an SGX quote.
    RawKbs.Reply auth = raw.postJson("/kbs/v0/auth", ReferenceKbsClient.authBody("tdx"));
    RawKbs.Reply attest =
        raw.postJson(
            "/kbs/v0/attest",
            simulatedAttestBody(auth),
            "Cookie",
            "kbs-session-id=" + auth.session());
    assertKbsError(attest, KbsErrorType.AttestationError);
    assertTrue(
        attest.json().get("detail").asText().contains("tee is tdx but the evidence is a SGX"),
        attest.body());
  }

  @Test
  void olderBodyShapesAreRefusedNamingThe040Shape() throws Exception {
    List<String> olderEvidence = new ArrayList<>();
    olderEvidence.add("{\"quote\":\"AAAA\"}");
    olderEvidence.add("\"{\\\"quote\\\":\\\"AAAA\\\"}\"");
    for (String evidence : olderEvidence) {
      RawKbs.Reply auth = raw.postJson("/kbs/v0/auth", ReferenceKbsClient.authBody("sgx"));
      JsonNode good = RawKbs.JSON.readTree(simulatedAttestBody(auth));
      String body =
          "{\"runtime-data\":" + good.get("runtime-data") + ",\"tee-evidence\":" + evidence + "}";
      RawKbs.Reply r =
          raw.postJson("/kbs/v0/attest", body, "Cookie", "kbs-session-id=" + auth.session());
      assertKbsError(r, KbsErrorType.AttestationError);
      String detail = r.json().get("detail").asText();
      assertTrue(
          detail.contains("KBS 0.4.0") && detail.contains("primary_evidence"), evidence + detail);
    }
    RawKbs.Reply auth = raw.postJson("/kbs/v0/auth", ReferenceKbsClient.authBody("sgx"));
    String withInitData =
        simulatedAttestBody(auth)
            .replace("\"init-data\":null", "\"init-data\":{\"format\":\"toml\",\"body\":\"\"}");
    RawKbs.Reply r =
        raw.postJson("/kbs/v0/attest", withInitData, "Cookie", "kbs-session-id=" + auth.session());
    assertKbsError(r, KbsErrorType.AttestationError);
    assertTrue(r.json().get("detail").asText().contains("init-data"), r.body());
  }

  private static String simulatedAttestBody(RawKbs.Reply auth) throws Exception {
    ReferenceKbsClient c = new ReferenceKbsClient(raw, ReferenceKbsClient.KeyKind.EC);
    String nonce = auth.json().get("nonce").asText();
    byte[] quote =
        broker
            .devHome
            .provider(BrokerFixture.MRENCLAVE)
            .evidence(ReferenceKbsClient.reportData(nonce, c.teePubkey(), ""))
            .quote();
    return c.attestBody(nonce, quote);
  }

  private static void assertKbsError(RawKbs.Reply r, KbsErrorType type) throws Exception {
    assertEquals(type.status(), r.status(), r.body());
    JsonNode body = r.json();
    assertEquals(List.of("type", "detail"), names(body), r.body());
    assertEquals(type.uri(), body.get("type").asText(), r.body());
    assertTrue(body.get("detail").isTextual(), r.body());
  }

  private static String protectedText(JsonNode jwe) {
    return new String(
        Base64.getUrlDecoder().decode(jwe.get("protected").asText()), StandardCharsets.UTF_8);
  }

  private static List<String> names(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
