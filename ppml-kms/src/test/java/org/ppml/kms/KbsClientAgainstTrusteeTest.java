package org.ppml.kms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.attestation.simulated.DevHome;
import org.ppml.crypto.kms.DataKey;
import org.ppml.crypto.kms.Kms;
import org.ppml.crypto.kms.KmsCredentials;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.KmsRegistry;
import org.ppml.kmsclient.broker.KbsErrorType;
import org.ppml.kmsclient.broker.KeyBrokerException;

/**
 * Our {@code kbs+https} client against a server with Trustee's body shapes, statuses and error
 * bodies ({@link TrusteeShapedKbs}): it reads a data key, reports a policy denial and a missing
 * resource with Trustee's type and detail after one re-attest, and recovers from an expired token
 * by attesting again. The bodies it sends are checked member by member against the reference
 * client's.
 */
class KbsClientAgainstTrusteeTest {
  @TempDir static Path tmp;
  static TrusteeShapedKbs kbs;
  static DevHome devHome;
  static byte[] salesKey = new byte[32];

  @BeforeAll
  static void start() throws Exception {
    kbs = new TrusteeShapedKbs(tmp.resolve("kbs"));
    devHome = DevHome.init(tmp.resolve("dev"), Instant.now().minusSeconds(60));
    new SecureRandom().nextBytes(salesKey);
    kbs.resources.put("ppml/keys/sales", salesKey);
    kbs.resources.put("ppml/keys/secret", salesKey);
    kbs.deniedByPolicy.add("ppml/keys/secret");
  }

  @AfterAll
  static void stop() throws Exception {
    kbs.close();
  }

  private static Kms open() throws KmsException {
    return KmsRegistry.open(
        kbs.uri() + "&provider=simulated&dev=true&devHome=" + devHome.directory(),
        KmsCredentials.of(null, null));
  }

  @Test
  void readsADataKeyAndSendsTheReferenceClientsBodies() throws Exception {
    int before = kbs.attestCount();
    try (Kms kms = open();
        DataKey key = kms.generateDataKey("sales")) {
      assertArrayEquals(salesKey, key.keyBytes());
    }
    assertEquals(before + 1, kbs.attestCount());

    JsonNode auth = kbs.authBodies.get(kbs.authBodies.size() - 1);
    assertEquals(List.of("version", "tee", "extra-params"), names(auth));
    assertEquals("0.4.0", auth.get("version").textValue());
    assertEquals("sgx", auth.get("tee").textValue());
    assertEquals(List.of("supported-hash-algorithms"), names(auth.get("extra-params")));
    assertEquals(
        "[\"sha256\",\"sha384\",\"sha512\"]",
        auth.get("extra-params").get("supported-hash-algorithms").toString());

    JsonNode attest = kbs.attestBodies.get(kbs.attestBodies.size() - 1);
    assertEquals(List.of("init-data", "runtime-data", "tee-evidence"), names(attest));
    assertTrue(attest.get("init-data").isNull());
    JsonNode runtimeData = attest.get("runtime-data");
    assertEquals(List.of("nonce", "tee-pubkey"), names(runtimeData));
    assertEquals(
        kbs.issuedNonces.get(kbs.issuedNonces.size() - 1), runtimeData.get("nonce").textValue());
    JsonNode jwk = runtimeData.get("tee-pubkey");
    assertEquals(List.of("kty", "crv", "alg", "x", "y"), names(jwk));
    assertEquals("EC", jwk.get("kty").textValue());
    assertEquals("P-256", jwk.get("crv").textValue());
    assertEquals("ECDH-ES+A256KW", jwk.get("alg").textValue());
    assertEquals(32, Base64.getUrlDecoder().decode(jwk.get("x").textValue()).length);
    assertEquals(32, Base64.getUrlDecoder().decode(jwk.get("y").textValue()).length);
    JsonNode evidence = attest.get("tee-evidence");
    assertEquals(List.of("primary_evidence", "additional_evidence"), names(evidence));
    assertEquals("", evidence.get("additional_evidence").textValue());
    assertEquals(List.of("quote"), names(evidence.get("primary_evidence")));
    String quote = evidence.get("primary_evidence").get("quote").textValue();
    // Standard base64 with padding, as Trustee's STANDARD engine decodes it.
    assertEquals(quote, Base64.getEncoder().encodeToString(Base64.getDecoder().decode(quote)));
  }

  @Test
  void aPolicyDenialIsReportedAsTrusteeSentItAfterOneReattest() throws Exception {
    int before = kbs.attestCount();
    KeyBrokerException e;
    try (Kms kms = open()) {
      e = assertInstanceOf(KeyBrokerException.class, fails(kms, "secret"));
    }
    assertEquals(before + 2, kbs.attestCount(), "one attest, then one re-attest on 401");
    assertEquals(KmsException.Reason.DENIED, e.reason());
    assertEquals(401, e.status());
    assertEquals(KbsErrorType.PolicyDeny.uri(), e.problemType());
    assertTrue(e.getMessage().contains("PolicyDeny): Access denied by policy"), e.getMessage());
  }

  @Test
  void aMissingResourceIsNotReportedAsADenial() throws Exception {
    KeyBrokerException e;
    try (Kms kms = open()) {
      e = assertInstanceOf(KeyBrokerException.class, fails(kms, "absent"));
    }
    assertNotEquals(KmsException.Reason.DENIED, e.reason());
    assertEquals(KmsException.Reason.KEY_NOT_FOUND, e.reason());
    assertEquals(KbsErrorType.PluginInternalError.uri(), e.problemType());
    assertTrue(e.getMessage().contains("Plugin internal error"), e.getMessage());
    assertTrue(e.getMessage().contains("ppml/keys/absent"), e.getMessage());
  }

  @Test
  void anExpiredTokenIsRenewedByAttestingAgain() throws Exception {
    try (Kms kms = open()) {
      try (DataKey k = kms.generateDataKey("sales")) {
        assertArrayEquals(salesKey, k.keyBytes());
      }
      int before = kbs.attestCount();
      // The KBS's clock moves past the token's and the session's lifetime; ours does not, so the
      // client still holds the token and learns of its expiry from the 401 TokenVerifierError.
      kbs.clockAhead = Duration.ofHours(1);
      try (DataKey k = kms.generateDataKey("sales")) {
        assertArrayEquals(salesKey, k.keyBytes());
      } finally {
        kbs.clockAhead = Duration.ZERO;
      }
      assertEquals(before + 1, kbs.attestCount());
    }
  }

  private static Exception fails(Kms kms, String name) {
    return assertThrows(KmsException.class, () -> kms.generateDataKey(name).close());
  }

  private static List<String> names(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
