package org.ppml.kms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.crypto.IntegrityException;
import org.ppml.crypto.envelope.EnvelopeHeader;
import org.ppml.crypto.envelope.KmsKeyResolver;
import org.ppml.crypto.envelope.PpmlDecryptor;
import org.ppml.crypto.envelope.PpmlEncryptor;
import org.ppml.crypto.kms.DataKey;
import org.ppml.crypto.kms.KeyAdministration;
import org.ppml.crypto.kms.Kms;
import org.ppml.crypto.kms.KmsCapability;
import org.ppml.crypto.kms.KmsCredentials;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.KmsException.Reason;
import org.ppml.crypto.kms.KmsRegistry;
import org.ppml.crypto.kms.WrappedKey;
import org.ppml.crypto.stream.SegmentLayout;
import org.ppml.kmsclient.broker.KbsKms;
import org.ppml.kmsclient.broker.KeyBrokerAdminClient;

/**
 * {@code kbs+https} against the broker's KBS endpoints, the only KBS in this build: real TLS on
 * loopback, real SQLite, simulated quotes. Data keys are resources {@code ppml/keys/NAME} put
 * through the admin API, as an operator would with a KBS's own tools.
 */
class KbsKmsEndToEndTest {
  @TempDir static java.nio.file.Path tmp;
  static BrokerFixture broker;
  static KeyBrokerAdminClient admin;
  static byte[] salesKey;

  @BeforeAll
  static void start() throws Exception {
    broker = new BrokerFixture(tmp);
    admin = broker.admin();
    salesKey = new byte[32];
    new SecureRandom().nextBytes(salesKey);
    admin.putResource("ppml/keys/sales", salesKey, broker.simulatedPolicy());
  }

  @AfterAll
  static void stop() throws Exception {
    broker.close();
  }

  static String uri(boolean enclave) {
    String base =
        "kbs+https://127.0.0.1:" + broker.server.port() + "?tlsSha256=" + broker.server.tlsSha256();
    return enclave
        ? base
            + "&provider=simulated&dev=true&devHome="
            + broker.devHome.directory()
            + "&mrEnclave="
            + BrokerFixture.hex(BrokerFixture.MRENCLAVE)
        : base;
  }

  static Kms open(boolean enclave) throws KmsException {
    return KmsRegistry.open(uri(enclave), KmsCredentials.of(null, null));
  }

  static int auditSize() throws Exception {
    return admin.audit(null).size();
  }

  @Test
  void aDriverWithoutAttestationGetsTheWrappedReferenceWithoutCallingTheKbs() throws Exception {
    int before = auditSize();
    try (Kms driver = open(false)) {
      assertEquals("kbs+https://127.0.0.1:" + broker.server.port(), driver.reference());
      WrappedKey w = driver.generateWrappedDataKey("sales");
      assertEquals(
          new WrappedKey(
              "sales", 1, "kbs-resource:ppml/keys/sales".getBytes(StandardCharsets.UTF_8)),
          w);
      assertEquals(before, auditSize(), "the broker saw no request");
      KmsException cannot = assertThrows(KmsException.class, () -> driver.unwrap(w));
      assertTrue(cannot.getMessage().contains("no evidence provider"), cannot.getMessage());
    }
  }

  @Test
  void anAttestedEnclaveGetsTheResourceAsTheDataKey() throws Exception {
    try (Kms kms = open(true);
        DataKey fresh = kms.generateDataKey("sales");
        DataKey back = kms.unwrap(fresh.wrapped())) {
      assertArrayEquals(salesKey, fresh.keyBytes());
      assertArrayEquals(salesKey, back.keyBytes());
      assertEquals(kms.generateWrappedDataKey("sales"), fresh.wrapped());
      assertFalse(fresh.toString().contains(HexFormat.of().formatHex(salesKey)));
    }
    List<JsonNode> audit = admin.audit(null);
    assertTrue(
        audit.stream()
            .anyMatch(
                r ->
                    r.get("event").asText().equals("resource")
                        && r.get("keyName").asText().equals("ppml/keys/sales")
                        && r.get("decision").asText().equals("allow")
                        && r.get("simulated").asBoolean()),
        audit.toString());
  }

  @Test
  void explicitKeysAreResourcesReleasedByIdThroughBothBrokerSchemes() throws Exception {
    byte[] kf = "0123456789012345".getBytes(StandardCharsets.US_ASCII);
    admin.putResource("ppml/keys/kf", kf, broker.simulatedPolicy());
    admin.putResource("ppml/keys/odd", new byte[20], broker.simulatedPolicy());
    String ppml = uri(true).replaceFirst("^kbs\\+https", "ppml+https");
    for (String u : List.of(uri(true), ppml)) {
      try (Kms kms = KmsRegistry.open(u, KmsCredentials.of(null, null))) {
        byte[] got = ((org.ppml.crypto.kms.ExplicitKeySource) kms).explicitKey("kf");
        assertArrayEquals(kf, got, u);
        KmsException odd =
            assertThrows(
                KmsException.class,
                () -> ((org.ppml.crypto.kms.ExplicitKeySource) kms).explicitKey("odd"));
        assertTrue(odd.getMessage().contains("20 bytes"), odd.getMessage());
        assertFalse(odd.getMessage().contains("AAAA"), "no key bytes in the message");
        assertEquals(
            KmsException.Reason.INVALID_ARGUMENT,
            assertThrows(
                    KmsException.class,
                    () -> ((org.ppml.crypto.kms.ExplicitKeySource) kms).explicitKey("../x"))
                .reason());
      }
    }
  }

  @Test
  void aFileWrittenByOneInstanceIsReadThroughAnother() throws Exception {
    byte[] plain = new byte[100_000];
    new SecureRandom().nextBytes(plain);
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    try (Kms writer = open(true);
        DataKey key = writer.generateDataKey("sales");
        PpmlEncryptor enc =
            PpmlEncryptor.forDataKey(key, writer.reference(), SegmentLayout.MIN_SEGMENT_SIZE);
        OutputStream out = enc.encrypt(file)) {
      out.write(plain);
    }
    byte[] ciphertext = file.toByteArray();
    EnvelopeHeader header = EnvelopeHeader.decode(ciphertext, "f");
    assertEquals("sales", header.keyName());
    assertEquals(1, header.keyVersion());
    try (Kms reader = open(true);
        InputStream in =
            new PpmlDecryptor(new KmsKeyResolver(reader))
                .open(new ByteArrayInputStream(ciphertext), "part-0")) {
      assertArrayEquals(plain, in.readAllBytes());
    }

    // A header re-pointed at another resource is a verdict on the file, reached before any fetch.
    admin.putResource("ppml/keys/other", new byte[32], broker.simulatedPolicy());
    byte[] forged = ciphertext.clone();
    byte[] forgedHeader =
        new EnvelopeHeader(
                header.segmentSize(),
                header.kms(),
                "sales",
                1,
                "kbs-resource:ppml/keys/other".getBytes(StandardCharsets.UTF_8))
            .encode();
    System.arraycopy(forgedHeader, 0, forged, 0, EnvelopeHeader.LENGTH);
    int before = auditSize();
    try (Kms reader = open(true)) {
      IntegrityException e =
          assertThrows(
              IntegrityException.class,
              () ->
                  new PpmlDecryptor(new KmsKeyResolver(reader))
                      .open(new ByteArrayInputStream(forged), "part-0")
                      .readAllBytes());
      assertEquals("part-0", e.source());
      assertTrue(e.getMessage().contains("kbs-resource:ppml/keys/sales"), e.getMessage());
    }
    assertEquals(before, auditSize(), "no auth, attest or resource request for a forged header");
  }

  @Test
  void aTamperedReferenceIsRefusedBeforeAnyFetch() throws Exception {
    try (Kms kms = open(true)) {
      int before = auditSize();
      KmsException e =
          assertThrows(
              KmsException.class,
              () ->
                  kms.unwrap(
                      new WrappedKey(
                          "sales",
                          1,
                          "kbs-resource:ppml/keys/other".getBytes(StandardCharsets.UTF_8))));
      assertEquals(Reason.UNWRAP_FAILED, e.reason());
      assertEquals(before, auditSize(), "the broker saw no request");
    }
  }

  @Test
  void aResourceThatIsNotAThirtyTwoByteKeyIsAClearError() throws Exception {
    byte[] short16 = new byte[16];
    new SecureRandom().nextBytes(short16);
    admin.putResource("ppml/keys/short", short16, broker.simulatedPolicy());
    try (Kms kms = open(true)) {
      KmsException e = assertThrows(KmsException.class, () -> kms.generateDataKey("short"));
      assertEquals(Reason.INVALID_ARGUMENT, e.reason());
      assertTrue(
          e.getMessage().contains("ppml/keys/short") && e.getMessage().contains("16 bytes"),
          e.getMessage());
      assertFalse(
          e.getMessage().contains(HexFormat.of().formatHex(short16))
              || e.getMessage().contains(Base64.getEncoder().encodeToString(short16)),
          "no key bytes in the message");
    }
  }

  @Test
  void aMissingResourceAndAPolicyDenialAreTyped() throws Exception {
    admin.putResource(
        "ppml/keys/strict",
        new byte[32],
        "{\"mrEnclave\":[\""
            + BrokerFixture.hex(BrokerFixture.OTHER_MRENCLAVE)
            + "\"],\"allowSimulated\":true,\"allowDebug\":true}");
    try (Kms kms = open(true)) {
      KmsException denied = assertThrows(KmsException.class, () -> kms.generateDataKey("strict"));
      assertEquals(Reason.DENIED, denied.reason());
      assertTrue(denied.getMessage().contains("mrEnclave"), denied.getMessage());
      KmsException missing =
          assertThrows(KmsException.class, () -> kms.generateDataKey("nosuchkey"));
      assertEquals(Reason.KEY_NOT_FOUND, missing.reason());
      assertTrue(missing.getMessage().contains("ppml/keys/nosuchkey"), missing.getMessage());
    }
    assertTrue(
        admin.audit(null).stream()
            .anyMatch(
                r ->
                    r.get("event").asText().equals("resource")
                        && r.get("keyName").asText().equals("ppml/keys/strict")
                        && r.get("decision").asText().equals("deny")));
  }

  @Test
  void keyAdministrationIsLeftToTheKbs() throws Exception {
    try (Kms kms = open(true)) {
      assertTrue(kms instanceof KbsKms);
      KmsException e =
          assertThrows(
              KmsException.class,
              () -> KmsCapability.require(kms, KeyAdministration.class, "listing keys"));
      assertEquals(Reason.UNSUPPORTED, e.reason());
      assertTrue(e.getMessage().contains(kms.reference()), e.getMessage());
    }
  }
}
