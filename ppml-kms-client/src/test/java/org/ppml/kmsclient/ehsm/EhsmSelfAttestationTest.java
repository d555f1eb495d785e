package org.ppml.kmsclient.ehsm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.attestation.simulated.DevHome;
import org.ppml.attestation.simulated.SimulatedSgxProvider;
import org.ppml.crypto.kms.DataKey;
import org.ppml.crypto.kms.KmsCredentials;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.KmsException.Reason;
import org.ppml.crypto.kms.KmsRegistry;
import org.ppml.crypto.kms.WrappedKey;
import org.ppml.kmsclient.broker.RuntimeDataBinding;

/**
 * The {@code policyId} self-check against the eHSM stand-in, with real simulated quotes from a dev
 * home: what it lets through, what it refuses, and how often it asks eHSM.
 */
class EhsmSelfAttestationTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final byte[] MR_ENCLAVE = HexFormat.of().parseHex("5a".repeat(32));
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private static DevHome home;
  private static SimulatedSgxProvider enclave;

  private EhsmProtocolServer server;
  private EhsmClient client;
  private MovableClock clock;

  @BeforeAll
  static void devHome() throws Exception {
    home = DevHome.init(dir.resolve("dev"), NOW.minus(Duration.ofDays(1)));
    enclave = home.provider(MR_ENCLAVE);
  }

  @BeforeEach
  void start() throws Exception {
    server = new EhsmProtocolServer("app-1", "secret-key", Clock.fixed(NOW, ZoneOffset.UTC));
    client =
        new EhsmClient(
            server.uri(),
            "app-1",
            "secret-key".toCharArray(),
            HttpClient.newHttpClient(),
            Clock.fixed(NOW, ZoneOffset.UTC));
    clock = new MovableClock(NOW);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String policy(byte[] mrEnclave, byte[] mrSigner) throws Exception {
    return client.uploadQuotePolicy(
        HexFormat.of().formatHex(mrEnclave), HexFormat.of().formatHex(mrSigner));
  }

  private EhsmKms attested(String policyId) {
    return new EhsmKms(
        "ehsm+https://ehsm.test:9000",
        client,
        new EhsmSelfAttestation(
            client, enclave, policyId, clock, EhsmSelfAttestation.DEFAULT_MAX_AGE));
  }

  /** The data owner's side: no enclave, no attestation. */
  private EhsmKms owner() {
    return new EhsmKms("ehsm+https://ehsm.test:9000", client);
  }

  @Test
  void aMatchingPolicyIsVerifiedOnceForManyReleasesAndAgainWhenTheVerdictIsOld() throws Exception {
    EhsmKms kms = attested(policy(MR_ENCLAVE, home.mrSigner()));
    String key = owner().createKey("k").name();
    DataKey made = kms.generateDataKey(key);
    WrappedKey wrappedOnly = kms.generateWrappedDataKey(key);
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(made.keyBytes(), kms.unwrap(made.wrapped()).keyBytes());
    }
    assertEquals(32, kms.unwrap(wrappedOnly).keyBytes().length);
    assertEquals(
        1, server.calls("VerifyQuote"), "one verdict serves every release while it is fresh");
    assertEquals(3 + 1, server.calls("Decrypt"));

    // The quote bound the nonce sent with it, which eHSM itself never checks.
    String firstNonce = server.lastNonce();
    byte[] expected =
        RuntimeDataBinding.reportData(JSON.createObjectNode().put("nonce", firstNonce).toString());
    assertArrayEquals(expected, server.lastReportData());

    clock.advance(EhsmSelfAttestation.DEFAULT_MAX_AGE.minusSeconds(1));
    kms.unwrap(made.wrapped());
    assertEquals(1, server.calls("VerifyQuote"), "still fresh just before the maximum age");
    clock.advance(Duration.ofSeconds(1));
    kms.unwrap(made.wrapped());
    assertEquals(
        2, server.calls("VerifyQuote"), "renewed once the verdict reached the maximum age");
    assertNotEquals(firstNonce, server.lastNonce(), "every check sends a fresh nonce");
  }

  @Test
  void aPolicyForAnotherEnclaveRefusesEveryReleaseBeforeAnyKeyIsAskedFor() throws Exception {
    String key = owner().createKey("k").name();
    WrappedKey wrapped = owner().generateWrappedDataKey(key);
    int generated = server.calls("GenerateDataKeyWithoutPlaintext");
    byte[] otherSigner = HexFormat.of().parseHex("77".repeat(32));
    for (String policyId :
        new String[] {
          policy(HexFormat.of().parseHex("a5".repeat(32)), home.mrSigner()),
          policy(MR_ENCLAVE, otherSigner)
        }) {
      EhsmKms kms = attested(policyId);
      int checks = server.calls("VerifyQuote");
      for (Executable release :
          new Executable[] {
            () -> kms.generateDataKey(key),
            () -> kms.generateWrappedDataKey(key),
            () -> kms.unwrap(wrapped),
            () -> kms.unwrap(wrapped)
          }) {
        KmsException e = assertThrows(KmsException.class, release);
        assertEquals(Reason.DENIED, e.reason(), e.getMessage());
        assertTrue(
            e.getMessage().contains("VerifyQuote rejected this enclave's quote"), e.getMessage());
        assertTrue(e.getMessage().contains(policyId), e.getMessage());
      }
      assertEquals(
          checks + 4,
          server.calls("VerifyQuote"),
          "a refusal is not kept: each release asks again");
    }
    assertEquals(0, server.calls("GenerateDataKey"));
    assertEquals(generated, server.calls("GenerateDataKeyWithoutPlaintext"));
    assertEquals(0, server.calls("Decrypt"), "no key bytes left eHSM");
    // The owner, who never claimed an enclave, is not affected: eHSM does not enforce the check.
    assertEquals(32, owner().unwrap(wrapped).keyBytes().length);
  }

  @Test
  void aVerdictEchoingAnotherNonceIsRefused() throws Exception {
    EhsmKms kms = attested(policy(MR_ENCLAVE, home.mrSigner()));
    String key = owner().createKey("k").name();
    WrappedKey wrapped = owner().generateWrappedDataKey(key);
    // A positive verdict, but for some earlier request: what a replayed answer looks like.
    server.echoNonce("bm9uY2Ugb2YgYW5vdGhlciByZXF1ZXN0");
    KmsException e = assertThrows(KmsException.class, () -> kms.unwrap(wrapped));
    assertEquals(Reason.DENIED, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains("VerifyQuote echoed another nonce"), e.getMessage());
    assertEquals(1, server.calls("VerifyQuote"));
    assertEquals(0, server.calls("Decrypt"));
  }

  @Test
  void aPolicyIdEhsmDoesNotKnowIsRefused() throws Exception {
    EhsmKms kms = attested("0b8c6b9e-1f6c-4f5e-9a37-2f1a8f0e9c11");
    String key = owner().createKey("k").name();
    KmsException e = assertThrows(KmsException.class, () -> kms.generateWrappedDataKey(key));
    assertEquals(Reason.DENIED, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains("Invalid  policyId"), e.getMessage());
    assertEquals(0, server.calls("GenerateDataKeyWithoutPlaintext"));
  }

  /**
   * Documented: without a policy id the backend attests nothing; eHSM releases on the API key
   * alone.
   */
  @Test
  void withoutAPolicyIdNoQuoteIsVerified() throws Exception {
    EhsmKms kms = owner();
    String key = kms.createKey("k").name();
    DataKey made = kms.generateDataKey(key);
    assertArrayEquals(made.keyBytes(), kms.unwrap(made.wrapped()).keyBytes());
    kms.unwrap(kms.generateWrappedDataKey(key));
    assertEquals(2, server.calls("Decrypt"));
    assertEquals(0, server.calls("VerifyQuote"));
    assertTrue(kms.toString().contains("no attestation"), kms.toString());
  }

  @Test
  void concurrentReleasesShareOneCheck() throws Exception {
    EhsmKms kms = attested(policy(MR_ENCLAVE, home.mrSigner()));
    String key = owner().createKey("k").name();
    WrappedKey wrapped = owner().generateWrappedDataKey(key);
    int threads = 8;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  go.await();
                  int n = 0;
                  for (int i = 0; i < 3; i++) {
                    n += kms.unwrap(wrapped).keyBytes().length;
                  }
                  return n;
                }));
      }
      go.countDown();
      for (Future<Integer> f : done) {
        assertEquals(3 * 32, f.get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, server.calls("VerifyQuote"));
    assertEquals(threads * 3, server.calls("Decrypt"));
  }

  @Test
  void theUriTurnsTheCheckOnOnlyWithAPolicyIdAndAProvider() {
    String base = "ehsm+https://127.0.0.1:9000?appid=app-1";
    KmsException typo = refused(base + "&policyid=p&provider=simulated&dev=true");
    assertTrue(
        typo.getMessage().contains("unknown ehsm+https parameter 'policyid'"), typo.getMessage());
    KmsException noProvider = refused(base + "&policyId=p");
    assertTrue(noProvider.getMessage().contains("needs provider=NAME"), noProvider.getMessage());
    KmsException noPolicy = refused(base + "&provider=simulated&dev=true");
    assertTrue(
        noPolicy.getMessage().contains("does nothing without policyId"), noPolicy.getMessage());
    // The provider parameters mean what they mean for the broker backends.
    KmsException notDev =
        refused(base + "&policyId=p&provider=simulated&devHome=" + home.directory());
    assertTrue(notDev.getMessage().contains("development only"), notDev.getMessage());
    KmsException empty = refused(base + "&policyId=&provider=simulated&dev=true");
    assertTrue(empty.getMessage().contains("must not be empty"), empty.getMessage());
    assertFalse(
        refused(base + "&policyId=p").getMessage().contains("PPML_EHSM_APIKEY"),
        "URI mistakes come before the API key is looked at");
  }

  private static KmsException refused(String uri) {
    KmsException e =
        assertThrows(
            KmsException.class, () -> KmsRegistry.open(uri, KmsCredentials.of(null, null)));
    assertEquals(Reason.INVALID_ARGUMENT, e.reason(), e.getMessage());
    return e;
  }

  /** A clock the test moves forward; the check reads it, the HTTP timestamps do not. */
  private static final class MovableClock extends Clock {
    private volatile Instant now;

    MovableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
