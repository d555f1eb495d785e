package org.ppml.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.crypto.kms.DataKey;
import org.ppml.kms.testing.TestBackend;
import org.ppml.kmsclient.broker.KeyBrokerClient;
import org.ppml.kmsclient.broker.KeyBrokerException;

/**
 * {@code GET /metrics} of a real broker over TLS, scraped before and after real releases, denials
 * and attestations: the counts move by exactly what was done, and no key name appears unless the
 * broker was started with key names enabled, and then only names of keys it holds.
 */
class BrokerMetricsTest {
  private static final String SECRET_NAME = "payroll-2026-secret";

  @TempDir static Path tmp;
  static BrokerFixture broker;
  static BrokerFixture named;

  @BeforeAll
  static void start() throws Exception {
    broker = new BrokerFixture(tmp.resolve("plain"));
    broker.admin().createKey(SECRET_NAME, broker.simulatedPolicy());
    broker.admin().createKey("locked", "{\"mrEnclave\":[\"" + "cc".repeat(32) + "\"]}");
    named = new BrokerFixture(tmp.resolve("named"), c -> c.withMetricsKeyNames(true));
    named.admin().createKey(SECRET_NAME, named.simulatedPolicy());
  }

  @AfterAll
  static void stop() throws Exception {
    broker.close();
    named.close();
  }

  static MetricsText scrape(BrokerFixture b) throws Exception {
    RawKbs.Reply r = new RawKbs(b.url(), b.tls()).send("GET", "/metrics", null, null);
    assertEquals(200, r.status(), r.body());
    assertTrue(r.contentType().startsWith("text/plain; version=0.0.4"), r.contentType());
    return MetricsText.parse(r.body());
  }

  @Test
  void releasesDenialsAndAttestationsAreCountedWithoutKeyNames() throws Exception {
    KeyBrokerClient enclave = broker.enclaveClient();
    enclave.token();
    MetricsText before = scrape(broker);

    DataKey key = enclave.dataKey(SECRET_NAME);
    try (DataKey again = enclave.unwrap(key.wrapped())) {
      assertEquals(32, again.keyBytes().length);
    }
    key.destroy();
    assertEquals(
        403, assertThrows(KeyBrokerException.class, () -> enclave.dataKey("locked")).status());
    assertEquals(
        404, assertThrows(KeyBrokerException.class, () -> enclave.dataKey("no-such-key")).status());
    broker.enclaveClient().token();

    MetricsText after = scrape(broker);
    assertEquals(1, after.delta(before, "ppml_kms_releases_total{event=\"datakey\"}"));
    assertEquals(1, after.delta(before, "ppml_kms_releases_total{event=\"unwrap\"}"));
    assertEquals(
        1,
        after.delta(before, "ppml_kms_denials_total{event=\"datakey\",reason=\"policy-denied\"}"));
    assertEquals(
        1, after.delta(before, "ppml_kms_denials_total{event=\"datakey\",reason=\"unknown-key\"}"));
    assertEquals(
        1, after.delta(before, "ppml_kms_attestations_total{result=\"verified\",tee=\"sgx\"}"));
    assertEquals(
        3,
        after.delta(
                before,
                "ppml_kms_request_duration_seconds_count{endpoint=\"/ppml/v1/datakey\",method=\"POST\",status=\"200\"}")
            + after.delta(
                before,
                "ppml_kms_request_duration_seconds_count{endpoint=\"/ppml/v1/datakey\",method=\"POST\",status=\"403\"}")
            + after.delta(
                before,
                "ppml_kms_request_duration_seconds_count{endpoint=\"/ppml/v1/datakey\",method=\"POST\",status=\"404\"}"));
    // Every release, denial and attest is audited: at least one group commit each way.
    assertTrue(after.delta(before, "ppml_kms_audit_commit_duration_seconds_count") >= 1);
    assertPoolGauges(after);
    assertFalse(after.text().contains(SECRET_NAME), "a key name leaked into /metrics");
    assertFalse(after.text().contains("no-such-key"));
    assertFalse(after.text().contains("locked"));
  }

  /** The pools of this run's backend, and only those, with their configured sizes. */
  private static void assertPoolGauges(MetricsText m) {
    if (TestBackend.postgres()) {
      // The replica's HikariCP pool, read from its MXBean: 16 at most, at least 2 kept open.
      assertEquals(16, m.value("ppml_kms_db_connections_max{pool=\"postgresql\"}"));
      double open =
          m.value("ppml_kms_db_connections{pool=\"postgresql\",state=\"active\"}")
              + m.value("ppml_kms_db_connections{pool=\"postgresql\",state=\"idle\"}");
      assertTrue(open >= 1 && open <= 16, "open connections: " + open);
      assertTrue(m.text().contains("ppml_kms_db_waiting_threads{pool=\"postgresql\"}"), m.text());
      assertFalse(m.text().contains("sqlite-"), m.text());
    } else {
      assertEquals(1, m.value("ppml_kms_db_connections_max{pool=\"sqlite-writer\"}"));
      assertEquals(4, m.value("ppml_kms_db_connections_max{pool=\"sqlite-readers\"}"));
      assertEquals(
          4,
          m.value("ppml_kms_db_connections{pool=\"sqlite-readers\",state=\"active\"}")
              + m.value("ppml_kms_db_connections{pool=\"sqlite-readers\",state=\"idle\"}"));
      assertFalse(m.text().contains("pool=\"postgresql\""), m.text());
    }
  }

  @Test
  void requestPathsBecomeTemplatesSoClientsCannotMintSeries() throws Exception {
    RawKbs raw = new RawKbs(broker.url(), broker.tls());
    assertEquals(404, raw.send("GET", "/made-up-path-" + SECRET_NAME, null, null).status());
    assertEquals(
        401, raw.send("GET", "/kbs/v0/resource/repo/" + SECRET_NAME + "/tag", null, null).status());
    MetricsText m = scrape(broker);
    assertFalse(m.text().contains(SECRET_NAME), m.text());
    assertTrue(
        m.value(
                "ppml_kms_request_duration_seconds_count{endpoint=\"/kbs/v0/resource/{repo}/{type}/{tag}\",method=\"GET\",status=\"401\"}")
            >= 1);
    assertTrue(
        m.value(
                "ppml_kms_request_duration_seconds_count{endpoint=\"other\",method=\"GET\",status=\"404\"}")
            >= 1);
  }

  @Test
  void withKeyNamesEnabledOnlyHeldKeysAreNamed() throws Exception {
    KeyBrokerClient enclave = named.enclaveClient();
    MetricsText before = scrape(named);
    enclave.dataKey(SECRET_NAME).destroy();
    assertThrows(KeyBrokerException.class, () -> enclave.dataKey("attacker-chosen-name"));
    // Refused before the key is looked up (a tee-pubkey that is not the token's): still unnamed.
    String token = enclave.token();
    RawKbs.Reply mismatch =
        new RawKbs(named.url(), named.tls())
            .postJson(
                "/ppml/v1/datakey",
                "{\"keyName\":\"other-attacker-name\",\"tee-pubkey\":"
                    + new ECKeyGenerator(Curve.P_256)
                        .algorithm(JWEAlgorithm.ECDH_ES_A256KW)
                        .generate()
                        .toPublicJWK()
                        .toJSONString()
                    + "}",
                "Authorization",
                "Bearer " + token);
    assertEquals(403, mismatch.status(), mismatch.body());
    MetricsText after = scrape(named);
    assertEquals(
        1,
        after.delta(
            before, "ppml_kms_releases_total{event=\"datakey\",key=\"" + SECRET_NAME + "\"}"));
    assertEquals(
        1,
        after.delta(
            before,
            "ppml_kms_denials_total{event=\"datakey\",key=\"(unknown)\",reason=\"unknown-key\"}"));
    assertEquals(
        1,
        after.delta(
            before,
            "ppml_kms_denials_total{event=\"datakey\",key=\"(unknown)\",reason=\"policy-denied\"}"));
    assertFalse(after.text().contains("attacker-chosen-name"), after.text());
    assertFalse(after.text().contains("other-attacker-name"), after.text());
  }
}
