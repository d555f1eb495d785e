package org.ppml.kms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.attestation.simulated.DevHome;
import org.ppml.crypto.kms.DataKey;
import org.ppml.kms.http.KeyBrokerServer;
import org.ppml.kms.testing.TestBackend;
import org.ppml.kmsclient.broker.BrokerTls;
import org.ppml.kmsclient.broker.KeyBrokerAdminClient;
import org.ppml.kmsclient.broker.KeyBrokerClient;

/**
 * A token past its lifetime, presented over HTTPS to a real broker: refused with 401 and the {@code
 * lifetime} step, no key in the body, and an audit record. Our client then attests again by itself.
 * The broker here issues 2-second tokens so the test waits seconds, not minutes.
 */
class ExpiredTokenOverHttpTest {
  @TempDir Path tmp;

  @Test
  void anExpiredTokenIsRefusedAuditedAndOurClientAttestsAgain() throws Exception {
    DevHome dev = DevHome.init(tmp.resolve("dev"), Instant.now().minusSeconds(60));
    KeyBrokerConfig config =
        TestBackend.devConfig(tmp.resolve("data"), dev.directory())
            .withTokenLifetime(Duration.ofSeconds(2));
    try (KeyBrokerServer server =
        KeyBrokerServer.start(
            config, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
      URI url = URI.create(server.url());
      KeyBrokerAdminClient admin =
          new KeyBrokerAdminClient(
              url,
              BrokerTls.pinned(server.tlsSha256()),
              server.firstAdminToken().orElseThrow(),
              Duration.ofSeconds(30));
      admin.createKey(
          "k",
          "{\"mrSigner\":\""
              + HexFormat.of().formatHex(dev.mrSigner())
              + "\",\"allowSimulated\":true,\"allowDebug\":true}");
      KeyBrokerClient client =
          new KeyBrokerClient(
              url,
              BrokerTls.pinned(server.tlsSha256()),
              dev.provider(BrokerFixture.MRENCLAVE),
              Duration.ofSeconds(30));
      String token = client.token();
      byte[] first;
      try (DataKey k = client.dataKey("k")) {
        first = k.keyBytes();
      }
      // Waiting is the point here: the token must really be past its expiry on the broker's clock.
      Thread.sleep(2_500);

      RawKbs raw = new RawKbs(url, BrokerTls.pinned(server.tlsSha256()));
      RawKbs.Reply r =
          raw.postJson(
              "/ppml/v1/datakey", "{\"keyName\":\"k\"}", "Authorization", "Bearer " + token);
      assertEquals(401, r.status(), r.body());
      assertEquals("urn:ppml:kms:not-attested", r.json().path("type").asText());
      assertTrue(r.json().path("violations").get(0).asText().startsWith("lifetime:"), r.body());
      assertFalse(r.body().contains("\"jwe\""), r.body());
      assertFalse(r.body().contains("wrappedKey"), r.body());

      List<JsonNode> audit = admin.audit(null);
      assertTrue(
          audit.stream()
              .anyMatch(
                  a ->
                      a.get("event").asText().equals("token")
                          && a.get("decision").asText().equals("deny")
                          && a.get("violations").toString().contains("lifetime")),
          audit.toString());

      // The client holds the same expired token; on the 401 it attests again and is served.
      try (DataKey again = client.dataKey("k")) {
        assertEquals(32, again.keyBytes().length);
        try (DataKey back = client.unwrap(again.wrapped())) {
          assertArrayEquals(again.keyBytes(), back.keyBytes());
        }
      }
      assertFalse(
          token.equals(client.token()), "the client must hold a fresh token after re-attesting");
      assertEquals(32, first.length);
    }
  }
}
