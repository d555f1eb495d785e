package org.ppml.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.kms.testing.TestBackend;

/**
 * Every refused call leaves an audit record, a missing credential as well as a wrong one, and
 * session ids are kept only as digests. Real broker over TLS on loopback, real SQLite.
 */
class DenialAuditTest {
  @Test
  void refusedCredentialsAreAuditedWithTheStepThatRefusedThem(@TempDir Path dir) throws Exception {
    try (BrokerFixture broker = new BrokerFixture(dir)) {
      RawKbs raw = new RawKbs(broker.url(), broker.tls());
      String writer = broker.admin().issueWriterToken("ingest");

      assertEquals(401, raw.send("GET", "/admin/v1/keys", null, null).status());
      assertEquals(
          401,
          raw.send("GET", "/admin/v1/keys", null, null, "Authorization", "Bearer ppml_not-a-token")
              .status());
      assertEquals(
          401,
          raw.send("GET", "/admin/v1/audit", null, null, "Authorization", "Bearer " + writer)
              .status());
      assertEquals(401, raw.postJson("/ppml/v1/unwrap", "{}").status());
      assertEquals(401, raw.send("GET", "/kbs/v0/resource/ppml/keys/sales", null, null).status());

      List<JsonNode> audit = broker.admin().audit(null);
      assertDenied(audit, "api-token", "GET /admin/v1/keys", "missing: ");
      assertDenied(audit, "api-token", "GET /admin/v1/keys", "unknown: ");
      assertDenied(
          audit,
          "api-token",
          "GET /admin/v1/audit",
          "role: a writer token may not call /admin/v1/audit");
      assertDenied(audit, "token", "POST /ppml/v1/unwrap", "missing: ");
      assertDenied(audit, "token", "GET /kbs/v0/resource/ppml/keys/sales", "missing: ");
      for (JsonNode r : audit) {
        assertFalse(r.toString().contains(writer), "an API token never reaches the log");
      }
    }
  }

  @Test
  void authAndAttestRequestsRefusedBeforeVerificationAreAudited(@TempDir Path dir)
      throws Exception {
    try (BrokerFixture broker = new BrokerFixture(dir)) {
      RawKbs raw = new RawKbs(broker.url(), broker.tls());
      // On /kbs/v0/* every refusal but a bad path is Trustee's 401 AttestationError.
      assertEquals(
          401,
          raw.postJson(
                  "/kbs/v0/auth", "{\"version\":\"0.1.0\",\"tee\":\"sgx\",\"extra-params\":\"\"}")
              .status());
      assertEquals(401, raw.postJson("/kbs/v0/auth", "{\"version\":").status());
      String session = raw.auth().session();
      assertEquals(
          401,
          raw.postJson(
                  "/kbs/v0/attest", "{\"runtime-data\":", "Cookie", "kbs-session-id=" + session)
              .status());
      assertEquals(
          401,
          raw.postJson(
                  "/kbs/v0/attest",
                  "{\"tee-evidence\":\"AAAA\"}",
                  "Cookie",
                  "kbs-session-id=" + session)
              .status());

      List<JsonNode> audit = broker.admin().audit(null);
      assertTrue(count(audit, "auth", "deny", "the request is 0.1.0") == 1, audit::toString);
      assertEquals(2, count(audit, "auth", "deny", ""), "both refused auth calls");
      assertEquals(1, count(audit, "auth", "allow", ""));
      assertEquals(
          1, count(audit, "attest", "deny", "runtime-data must be an object"), audit::toString);
      assertEquals(2, count(audit, "attest", "deny", ""), "the unreadable body too");
    }
  }

  @Test
  void theDatabaseHoldsSessionDigestsNotSessionIds(@TempDir Path dir) throws Exception {
    try (BrokerFixture broker = new BrokerFixture(dir)) {
      String session = new RawKbs(broker.url(), broker.tls()).auth().session();
      assertNotNull(session);
      List<String> stored = new ArrayList<>();
      try (Connection c = TestBackend.connect(broker.dataDir());
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT session FROM nonces")) {
        while (rs.next()) {
          stored.add(rs.getString(1));
        }
      }
      assertEquals(1, stored.size());
      assertFalse(stored.get(0).equals(session), "the cookie itself is a bearer secret");
      assertEquals(43, stored.get(0).length(), "base64url of a SHA-256");
    }
  }

  @Test
  void theConfigNeverPrintsTheMasterKey(@TempDir Path dir) {
    String secret = "c2VjcmV0LW1hc3Rlci1rZXktdmFsdWUtMzItYnl0ZXM=";
    KeyBrokerConfig config =
        KeyBrokerConfig.builder(dir)
            .tokenLifetime(Duration.ofMinutes(1))
            .masterKeyValue(secret)
            .build();
    assertFalse(config.toString().contains(secret), config.toString());
    assertTrue(config.toString().contains("masterKey=(from the environment)"), config.toString());
    assertTrue(config.withPort(8443).toString().contains("listen=127.0.0.1:8443"));
  }

  private static void assertDenied(
      List<JsonNode> audit, String event, String detail, String violation) {
    assertTrue(
        audit.stream()
            .anyMatch(
                r ->
                    r.get("event").asText().equals(event)
                        && r.get("decision").asText().equals("deny")
                        && r.get("detail").asText().equals(detail)
                        && r.get("violations").toString().contains(violation)),
        () -> "no " + event + " denial for " + detail + " with " + violation + " in " + audit);
  }

  private static long count(List<JsonNode> audit, String event, String decision, String violation) {
    return audit.stream()
        .filter(
            r ->
                r.get("event").asText().equals(event)
                    && r.get("decision").asText().equals(decision)
                    && r.get("violations").toString().contains(violation))
        .count();
  }
}
