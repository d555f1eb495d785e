package org.ppml.kms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.crypto.IntegrityException;
import org.ppml.crypto.envelope.EnvelopeHeader;
import org.ppml.crypto.envelope.HeaderRewrapper;
import org.ppml.crypto.envelope.KmsKeyResolver;
import org.ppml.crypto.envelope.PpmlDecryptor;
import org.ppml.crypto.envelope.PpmlEncryptor;
import org.ppml.crypto.kms.DataKey;
import org.ppml.crypto.kms.KeyRotation;
import org.ppml.crypto.kms.Kms;
import org.ppml.crypto.kms.KmsCapability;
import org.ppml.crypto.kms.KmsCredentials;
import org.ppml.crypto.kms.KmsException.Reason;
import org.ppml.crypto.kms.KmsRegistry;
import org.ppml.crypto.kms.WrappedKey;
import org.ppml.crypto.stream.SegmentLayout;
import org.ppml.kms.http.KeyBrokerServer;
import org.ppml.kmsclient.broker.KeyBrokerAdminClient;
import org.ppml.kmsclient.broker.KeyBrokerClient;
import org.ppml.kmsclient.broker.KeyBrokerException;

/**
 * {@code POST /admin/v1/rewrap}: after a rotation an administrator moves wrapped data keys to the
 * newest version without ever holding a data key. Real broker, real TLS, real SQLite.
 */
class BrokerRewrapTest {
  @TempDir static Path tmp;
  static BrokerFixture broker;
  static KeyBrokerAdminClient admin;

  @BeforeAll
  static void start() throws Exception {
    broker = new BrokerFixture(tmp);
    admin = broker.admin();
  }

  @AfterAll
  static void stop() throws Exception {
    broker.close();
  }

  static String rewrapBody(WrappedKey w, String toKey) {
    return "{\"keyName\":\""
        + w.keyName()
        + "\",\"keyVersion\":"
        + w.keyVersion()
        + ",\"wrappedKey\":\""
        + Base64.getEncoder().encodeToString(w.wrapped())
        + "\""
        + (toKey == null ? "" : ",\"toKey\":\"" + toKey + "\"")
        + "}";
  }

  static long rewrapRecords() throws Exception {
    return admin.audit(null).stream().filter(r -> r.get("event").asText().equals("rewrap")).count();
  }

  @Test
  void aRotatedKeysOldWrapMovesToTheNewVersionAndUnwrapsToTheSameDataKey() throws Exception {
    admin.createKey("rotating", broker.simulatedPolicy());
    KeyBrokerClient enclave = broker.enclaveClient();
    try (DataKey v1 = enclave.dataKey("rotating")) {
      assertEquals(2, admin.rotateKey("rotating").primaryVersion());
      long before = rewrapRecords();
      RawKbs raw = new RawKbs(broker.url(), broker.tls());
      RawKbs.Reply r =
          raw.postJson(
              "/admin/v1/rewrap",
              rewrapBody(v1.wrapped(), null),
              "Authorization",
              "Bearer " + broker.adminToken);
      assertEquals(200, r.status(), r.body());
      List<String> fields = new java.util.ArrayList<>();
      r.json().fieldNames().forEachRemaining(fields::add);
      assertEquals(
          List.of("keyName", "keyVersion", "wrappedKey"), fields, "no data key in any form");
      WrappedKey v2 =
          new WrappedKey(
              r.json().get("keyName").asText(),
              r.json().get("keyVersion").asInt(),
              Base64.getDecoder().decode(r.json().get("wrappedKey").asText()));
      assertEquals("rotating", v2.keyName());
      assertEquals(2, v2.keyVersion());
      assertFalse(java.util.Arrays.equals(v1.wrapped().wrapped(), v2.wrapped()));
      try (DataKey back = broker.enclaveClient().unwrap(v2)) {
        assertArrayEquals(v1.keyBytes(), back.keyBytes());
      }

      assertEquals(before + 1, rewrapRecords(), "one audit record per rewrap");
      JsonNode record =
          admin.audit(null).stream()
              .filter(a -> a.get("event").asText().equals("rewrap"))
              .reduce((a, b) -> b)
              .orElseThrow();
      assertEquals("allow", record.get("decision").asText());
      assertEquals("rotating", record.get("keyName").asText());
      assertEquals(1, record.get("keyVersion").asInt());
      assertTrue(record.get("detail").asText().contains("to rotating v2"), record.toString());
      String keyB64 = Base64.getEncoder().encodeToString(v1.keyBytes());
      assertFalse(admin.audit(null).toString().contains(keyB64), "no data key in the audit");
      assertFalse(
          KeyBrokerEndToEndTest.contains(broker.databaseBytes(), v1.keyBytes()),
          "no data key stored");
    }
  }

  @Test
  void theKmsBackendRewrapsToAnotherKeyWithItsAdminToken() throws Exception {
    admin.createKey("old-key", broker.simulatedPolicy());
    admin.createKey("new-key", broker.simulatedPolicy());
    admin.rotateKey("new-key");
    String uri =
        "ppml+https://127.0.0.1:"
            + broker.server.port()
            + "?tlsSha256="
            + broker.server.tlsSha256()
            + "&provider=simulated&dev=true&devHome="
            + broker.devHome.directory();
    try (Kms kms =
            KmsRegistry.open(
                uri
                    + "&adminTokenFile="
                    + broker.dataDir().resolve(KeyBrokerServer.ADMIN_TOKEN_FILE),
                KmsCredentials.of(null, null));
        DataKey key = kms.generateDataKey("old-key")) {
      WrappedKey moved =
          KmsCapability.require(kms, KeyRotation.class, "re-wrapping")
              .rewrap(key.wrapped(), "new-key");
      assertEquals("new-key", moved.keyName());
      assertEquals(2, moved.keyVersion());
      try (DataKey back = kms.unwrap(moved)) {
        assertArrayEquals(key.keyBytes(), back.keyBytes());
      }
    }
    // Without an admin token the backend says what it needs instead of asking the broker.
    try (Kms reader = KmsRegistry.open(uri, KmsCredentials.of(null, null))) {
      var e =
          assertThrows(
              org.ppml.crypto.kms.KmsException.class,
              () ->
                  KmsCapability.require(reader, KeyRotation.class, "re-wrapping")
                      .rewrap(new WrappedKey("old-key", 1, new byte[60]), "new-key"));
      assertEquals(Reason.DENIED, e.reason());
      assertTrue(e.getMessage().contains("admin token"), e.getMessage());
    }
  }

  @Test
  void aTamperedWrappedKeyIsA4xxWithNothingInTheBody() throws Exception {
    admin.createKey("tamper", broker.simulatedPolicy());
    WrappedKey good;
    try (DataKey k = broker.enclaveClient().dataKey("tamper")) {
      good = k.wrapped();
    }
    byte[] bad = good.wrapped();
    bad[20] ^= 1;
    WrappedKey tampered = new WrappedKey("tamper", 1, bad);
    RawKbs raw = new RawKbs(broker.url(), broker.tls());
    RawKbs.Reply r =
        raw.postJson(
            "/admin/v1/rewrap",
            rewrapBody(tampered, null),
            "Authorization",
            "Bearer " + broker.adminToken);
    assertEquals(400, r.status(), r.body());
    assertEquals("application/problem+json", r.contentType());
    assertEquals("urn:ppml:kms:unwrap-failed", r.json().get("type").asText());
    assertFalse(r.body().contains("wrappedKey") || r.body().contains("jwe"), r.body());
    KeyBrokerException e =
        assertThrows(KeyBrokerException.class, () -> admin.rewrap(tampered, "tamper"));
    assertEquals(Reason.UNWRAP_FAILED, e.reason());
    // Another key's wrap does not authenticate either: the AAD names key and version.
    admin.createKey("tamper-2", broker.simulatedPolicy());
    assertEquals(
        Reason.UNWRAP_FAILED,
        assertThrows(
                KeyBrokerException.class,
                () -> admin.rewrap(new WrappedKey("tamper-2", 1, good.wrapped()), "tamper-2"))
            .reason());
    assertTrue(
        admin.audit(null).stream()
            .anyMatch(
                a ->
                    a.get("event").asText().equals("rewrap")
                        && a.get("decision").asText().equals("deny")
                        && a.get("keyName").asText().equals("tamper")));
    assertEquals(
        404,
        assertThrows(
                KeyBrokerException.class,
                () -> admin.rewrap(new WrappedKey("tamper", 7, good.wrapped()), "tamper"))
            .status());
  }

  @Test
  void onlyAnAdminTokenMayRewrap() throws Exception {
    admin.createKey("guarded", broker.simulatedPolicy());
    WrappedKey w;
    try (DataKey k = broker.enclaveClient().dataKey("guarded")) {
      w = k.wrapped();
    }
    long before = rewrapRecords();
    RawKbs raw = new RawKbs(broker.url(), broker.tls());
    String body = rewrapBody(w, null);
    assertEquals(401, raw.postJson("/admin/v1/rewrap", body).status());
    String writer = admin.issueWriterToken("driver");
    String attestation = broker.enclaveClient().token();
    for (String token : List.of(writer, attestation, "ppml_admin_wrong")) {
      RawKbs.Reply r = raw.postJson("/admin/v1/rewrap", body, "Authorization", "Bearer " + token);
      assertEquals(401, r.status(), r.body());
      assertFalse(r.body().contains("wrappedKey"), r.body());
    }
    assertEquals(before, rewrapRecords(), "refused before any key was touched");
    assertEquals(
        405,
        raw.send(
                "GET",
                "/admin/v1/rewrap",
                null,
                null,
                "Authorization",
                "Bearer " + broker.adminToken)
            .status());
  }

  @Test
  void disabledSourceOrTargetKeysRefuse() throws Exception {
    admin.createKey("src-off", broker.simulatedPolicy());
    admin.createKey("dst-off", broker.simulatedPolicy());
    admin.createKey("live", broker.simulatedPolicy());
    WrappedKey fromSrc;
    WrappedKey fromLive;
    KeyBrokerClient enclave = broker.enclaveClient();
    try (DataKey a = enclave.dataKey("src-off");
        DataKey b = enclave.dataKey("live")) {
      fromSrc = a.wrapped();
      fromLive = b.wrapped();
    }
    admin.disableKey("src-off");
    admin.disableKey("dst-off");
    for (KeyBrokerException e :
        List.of(
            assertThrows(KeyBrokerException.class, () -> admin.rewrap(fromSrc, "live")),
            assertThrows(KeyBrokerException.class, () -> admin.rewrap(fromLive, "dst-off")))) {
      assertEquals(403, e.status());
      assertEquals(Reason.DENIED, e.reason());
      assertTrue(e.getMessage().contains("disabled"), e.getMessage());
    }
    assertEquals(
        404,
        assertThrows(KeyBrokerException.class, () -> admin.rewrap(fromLive, "no-such")).status());
    assertNotEquals(fromLive, admin.rewrap(fromLive, "live"));
  }

  @Test
  void headerRewrapperMovesAFileAndReportsATamperedHeaderAsIntegrity() throws Exception {
    admin.createKey("files", broker.simulatedPolicy());
    String uri =
        "ppml+https://127.0.0.1:"
            + broker.server.port()
            + "?tlsSha256="
            + broker.server.tlsSha256()
            + "&provider=simulated&dev=true&devHome="
            + broker.devHome.directory();
    String adminUri =
        uri + "&adminTokenFile=" + broker.dataDir().resolve(KeyBrokerServer.ADMIN_TOKEN_FILE);
    byte[] plain = new byte[50_000];
    new SecureRandom().nextBytes(plain);
    Path file = tmp.resolve("part-0.ppml");
    try (Kms kms = KmsRegistry.open(uri, KmsCredentials.of(null, null));
        PpmlEncryptor enc = PpmlEncryptor.create(kms, "files", SegmentLayout.MIN_SEGMENT_SIZE);
        OutputStream out = enc.encrypt(Files.newOutputStream(file))) {
      out.write(plain);
    }
    admin.rotateKey("files");
    try (Kms kms = KmsRegistry.open(adminUri, KmsCredentials.of(null, null))) {
      HeaderRewrapper.Result moved =
          new HeaderRewrapper(kms, (KeyRotation) kms).rewrap(file, "files");
      assertEquals(1, moved.oldVersion());
      assertEquals(2, moved.newVersion());
    }
    try (Kms reader = KmsRegistry.open(uri, KmsCredentials.of(null, null));
        InputStream in =
            new PpmlDecryptor(new KmsKeyResolver(reader))
                .open(Files.newInputStream(file), "part-0")) {
      assertArrayEquals(plain, in.readAllBytes());
    }

    // Flip a bit of the wrapped key in the header: the broker's verdict reaches the caller as
    // integrity.
    byte[] bytes = Files.readAllBytes(file);
    EnvelopeHeader h = EnvelopeHeader.decode(bytes, "f");
    byte[] wrapped = h.wrappedKey();
    wrapped[30] ^= 1;
    System.arraycopy(
        new EnvelopeHeader(h.segmentSize(), h.kms(), "files", 2, wrapped).encode(),
        0,
        bytes,
        0,
        EnvelopeHeader.LENGTH);
    Files.write(file, bytes);
    admin.rotateKey("files");
    try (Kms kms = KmsRegistry.open(adminUri, KmsCredentials.of(null, null))) {
      IntegrityException e =
          assertThrows(
              IntegrityException.class,
              () -> new HeaderRewrapper(kms, (KeyRotation) kms).rewrap(file, "files"));
      assertEquals(file.toString(), e.source());
    }
  }
}
