package org.ppml.kmsclient.ehsm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ppml.crypto.kms.DataKey;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.PrimaryKeyInfo;
import org.ppml.crypto.kms.WrappedKey;

class EhsmKmsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private EhsmProtocolServer server;

  @BeforeEach
  void start() throws Exception {
    server = new EhsmProtocolServer("app-1", "secret-key", Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private EhsmClient client(String apiKey, Clock clock) {
    return new EhsmClient(
        server.uri(), "app-1", apiKey.toCharArray(), HttpClient.newHttpClient(), clock);
  }

  private EhsmKms kms() {
    return new EhsmKms(
        "ehsm+https://ehsm.test:9000", client("secret-key", Clock.fixed(NOW, ZoneOffset.UTC)));
  }

  @Test
  void signatureMatchesKnownAnswersComputedOutsideJava() {
    // Known answers computed with Python's hmac over the strings eHSM's params_sort_str builds.
    EhsmRequestSigner signer = new EhsmRequestSigner("secret-key".toCharArray());
    ObjectNode params =
        JSON.createObjectNode().put("appid", "app-1").put("timestamp", "1700000000000");
    params
        .putObject("payload")
        .put("keyid", "0b8c6b9e-1f6c-4f5e-9a37-2f1a8f0e9c11")
        .put("keylen", 32)
        .put("aad", "YQ==");
    assertEquals(
        "appid=app-1&payload=aad=YQ==&keyid=0b8c6b9e-1f6c-4f5e-9a37-2f1a8f0e9c11&keylen=32&timestamp=1700000000000",
        EhsmRequestSigner.canonical(params));
    assertEquals("J7IuUJOLjNWcdF2VGDrqseBB11Q8yNidGelk7CpLP+g=", signer.sign(params));

    ObjectNode quirks =
        JSON.createObjectNode().put("appid", "app-1").put("timestamp", "1700000000001");
    quirks
        .putObject("payload")
        .put("zero", 0)
        .put("no", false)
        .put("empty", "")
        .putNull("nil")
        .put("d", "x")
        .put("n", 3);
    assertEquals(
        "appid=app-1&payload=d=x&n=3&timestamp=1700000000001", EhsmRequestSigner.canonical(quirks));
    assertEquals("8TZ3hfky1WnnKxJcZoElesb1mTfkmDHcirxlhNBSIoM=", signer.sign(quirks));
    assertFalse(signer.toString().contains("secret"));
  }

  @Test
  void dataKeysRoundTripThroughEhsm() throws Exception {
    EhsmKms kms = kms();
    PrimaryKeyInfo key = kms.createKey("ignored");
    assertEquals(36, key.name().length(), "eHSM names keys by UUID");
    DataKey dataKey = kms.generateDataKey(key.name());
    assertArrayEquals(dataKey.keyBytes(), kms.unwrap(dataKey.wrapped()).keyBytes());
    WrappedKey wrappedOnly = kms.generateWrappedDataKey(key.name());
    assertEquals(32, kms.unwrap(wrappedOnly).keyBytes().length);
    assertEquals(List.of(key.name()), kms.listKeys().stream().map(PrimaryKeyInfo::name).toList());
  }

  @Test
  void aWrappedKeyMovedToAnotherKeyIdFailsToUnwrap() throws Exception {
    EhsmKms kms = kms();
    String a = kms.createKey("a").name();
    String b = kms.createKey("b").name();
    WrappedKey w = kms.generateWrappedDataKey(a);
    KmsException e =
        assertThrows(KmsException.class, () -> kms.unwrap(new WrappedKey(b, 1, w.wrapped())));
    assertEquals(KmsException.Reason.UNWRAP_FAILED, e.reason());
  }

  @Test
  void errorsArriveAsHttp200AndBecomeTypedErrors() throws Exception {
    EhsmKms kms = kms();
    String id = kms.createKey("k").name();
    kms.disableKey(id);
    assertFalse(kms.listKeys().get(0).enabled());
    KmsException disabled = assertThrows(KmsException.class, () -> kms.generateDataKey(id));
    assertTrue(disabled.getMessage().contains("code 400"), disabled.getMessage());
    // eHSM answers "keyid not found or disabled" for both, so a disabled key reads as not found.
    assertEquals(KmsException.Reason.KEY_NOT_FOUND, disabled.reason());
    KmsException missing =
        assertThrows(KmsException.class, () -> kms.generateDataKey("no-such-key-id"));
    assertEquals(KmsException.Reason.KEY_NOT_FOUND, missing.reason(), missing.getMessage());

    EhsmKms wrongKey =
        new EhsmKms(
            "ehsm+https://x",
            client("not-the-key", Clock.fixed(NOW.plusSeconds(5), ZoneOffset.UTC)));
    KmsException sign = assertThrows(KmsException.class, () -> wrongKey.listKeys());
    assertTrue(sign.getMessage().contains("sign error"), sign.getMessage());
    assertEquals(KmsException.Reason.UNAVAILABLE, sign.reason());
    assertFalse(sign.getMessage().contains("not-the-key"));

    // eHSM has no versions and no import: the backend does not offer those capabilities at all.
    assertFalse(org.ppml.crypto.kms.KeyRotation.class.isInstance(kms));
    assertFalse(org.ppml.crypto.kms.KeyImport.class.isInstance(kms));
  }

  @Test
  void timestampsOutsideTheWindowAndReplaysAreRefused() throws Exception {
    EhsmClient skewed =
        client("secret-key", Clock.fixed(NOW.minus(Duration.ofMinutes(11)), ZoneOffset.UTC));
    EhsmException late = assertThrows(EhsmException.class, skewed::listKeys);
    assertTrue(late.getMessage().contains("Timestamp error"), late.getMessage());

    EhsmClient inWindow =
        client("secret-key", Clock.fixed(NOW.minus(Duration.ofMinutes(9)), ZoneOffset.UTC));
    inWindow.listKeys();
    // A fixed clock would reuse the millisecond: the client keeps timestamps strictly increasing.
    inWindow.listKeys();
    // A second client (another executor with the same app id) in the same millisecond collides
    // with the first; the client moves to a later timestamp and succeeds.
    int before = server.requests;
    EhsmClient sameMillisecond =
        client("secret-key", Clock.fixed(NOW.minus(Duration.ofMinutes(9)), ZoneOffset.UTC));
    sameMillisecond.listKeys();
    assertTrue(
        server.requests - before >= 2, "the first attempt was refused as a replay and retried");
  }

  @Test
  void verifyQuoteChecksMeasurementsButNotTheNonce() throws Exception {
    byte[] quote = Files.readAllBytes(testdata().resolve("dcap/phala-dcap-qvl/sgx_quote"));
    EhsmClient client = client("secret-key", Clock.fixed(NOW, ZoneOffset.UTC));
    String policy =
        client.uploadQuotePolicy(
            "33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb",
            "815f42f11cf64430c30bab7816ba596a1da0130c3b028b673133a66cf9a3e0e6");
    EhsmClient.QuoteVerdict verdict =
        client.verifyQuote(quote, "any nonce at all".getBytes(), policy);
    assertTrue(verdict.result(), "matches the policy's measurements");
    // The quote's REPORT_DATA is "Hello, world!", unrelated to the nonce, and eHSM still says yes:
    // this is the gap the package documentation warns about.
    String other =
        client.uploadQuotePolicy(
            "00".repeat(32), "815f42f11cf64430c30bab7816ba596a1da0130c3b028b673133a66cf9a3e0e6");
    assertFalse(client.verifyQuote(quote, new byte[] {1}, other).result());
  }

  @Test
  void theRegistryOpensEhsmUrisAndKeepsTheApiKeyOutOfThem() {
    KmsException noAppId =
        assertThrows(
            KmsException.class,
            () ->
                org.ppml.crypto.kms.KmsRegistry.open(
                    "ehsm+https://ehsm.test:9000",
                    org.ppml.crypto.kms.KmsCredentials.of(null, null)));
    assertEquals(KmsException.Reason.INVALID_ARGUMENT, noAppId.reason());
    if (System.getenv("PPML_EHSM_APIKEY") == null) {
      KmsException noKey =
          assertThrows(
              KmsException.class,
              () ->
                  org.ppml.crypto.kms.KmsRegistry.open(
                      "ehsm+https://ehsm.test:9000?appid=a",
                      org.ppml.crypto.kms.KmsCredentials.of(null, null)));
      assertTrue(noKey.getMessage().contains("PPML_EHSM_APIKEY"), noKey.getMessage());
    }
  }

  static Path testdata() {
    String p = System.getProperty("ppml.testdata");
    return p != null ? Path.of(p) : Path.of("../../shared/testdata");
  }
}
