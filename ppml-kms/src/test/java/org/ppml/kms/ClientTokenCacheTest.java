package org.ppml.kms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.crypto.kms.DataKey;
import org.ppml.kmsclient.broker.KeyBrokerAdminClient;
import org.ppml.kmsclient.broker.KeyBrokerClient;

/**
 * Our client attests once and reuses its token for every release until it nears expiry. Counted on
 * the broker's own audit log, so a client that quietly attested per call (a quote and two round
 * trips each time, and a nonce row per call) would show here.
 */
class ClientTokenCacheTest {
  private static final int RELEASES = 4;

  @TempDir static Path tmp;
  static BrokerFixture broker;
  static KeyBrokerAdminClient admin;

  @BeforeAll
  static void start() throws Exception {
    // A broker of its own: no other test's clients add auth or attest records to the log.
    broker = new BrokerFixture(tmp);
    admin = broker.admin();
    admin.createKey("cached", broker.simulatedPolicy());
    admin.putResource("cached/type/tag", new byte[] {4, 2}, broker.simulatedPolicy());
  }

  @AfterAll
  static void stop() throws Exception {
    broker.close();
  }

  @Test
  void oneClientAttestsOnceForManyReleases() throws Exception {
    long before = lastAuditId();
    KeyBrokerClient client = broker.enclaveClient();
    for (int i = 0; i < RELEASES; i++) {
      try (DataKey key = client.dataKey("cached");
          DataKey back = client.unwrap(key.wrapped())) {
        assertArrayEquals(key.keyBytes(), back.keyBytes());
      }
    }
    assertArrayEquals(new byte[] {4, 2}, client.resource("cached/type/tag"));

    List<JsonNode> since = auditAfter(before);
    assertEquals(1, count(since, "auth"), events(since));
    assertEquals(1, count(since, "attest"), events(since));
    assertEquals(RELEASES, count(since, "datakey"), events(since));
    assertEquals(RELEASES, count(since, "unwrap"), events(since));
    assertEquals(1, count(since, "resource"), events(since));
    // Every release was made under the one token that attest issued, not merely after it.
    JsonNode attest =
        since.stream()
            .filter(r -> r.get("event").asText().equals("attest"))
            .findFirst()
            .orElseThrow();
    String tokenId = (String) client.claims().get("jti");
    assertEquals(
        "token " + tokenId, attest.get("detail").asText().split(" until ")[0], attest.toString());
    for (JsonNode r : since) {
      if (List.of("datakey", "unwrap", "resource").contains(r.get("event").asText())) {
        assertEquals("allow", r.get("decision").asText(), r.toString());
        assertEquals("token " + tokenId, r.get("detail").asText(), r.toString());
      }
    }
  }

  @Test
  void aForcedAttestShowsAsASecondAuthAndAttest() throws Exception {
    // The first test's "exactly one" would also hold if the broker stopped auditing attests
    // made after the first; a forced second attest must show as a second auth and attest.
    long before = lastAuditId();
    KeyBrokerClient client = broker.enclaveClient();
    client.dataKey("cached").close();
    client.attest();
    client.dataKey("cached").close();
    List<JsonNode> since = auditAfter(before);
    assertEquals(2, count(since, "auth"), events(since));
    assertEquals(2, count(since, "attest"), events(since));
  }

  private static long lastAuditId() throws Exception {
    List<JsonNode> all = admin.audit(null);
    return all.isEmpty() ? 0 : all.get(all.size() - 1).get("id").asLong();
  }

  private static List<JsonNode> auditAfter(long id) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode r : admin.audit(null)) {
      if (r.get("id").asLong() > id) {
        out.add(r);
      }
    }
    return out;
  }

  /** The events in order, which is what a wrong count needs to be read. */
  private static String events(List<JsonNode> records) {
    return records.stream().map(r -> r.get("event").asText()).toList().toString();
  }

  private static long count(List<JsonNode> records, String event) {
    return records.stream().filter(r -> r.get("event").asText().equals(event)).count();
  }
}
