package org.ppml.kms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.crypto.kms.DataKey;
import org.ppml.crypto.kms.PrimaryKeyInfo;
import org.ppml.kms.http.KeyBrokerServer;
import org.ppml.kms.store.StoreException;
import org.ppml.kms.testing.TestBackend;
import org.ppml.kmsclient.broker.KeyBrokerAdminClient;

/** State survives a restart on the same data directory; a wrong master key refuses to start. */
class BrokerRestartTest {
  @TempDir Path tmp;

  @Test
  void acknowledgedKeysPoliciesTokensAndAuditSurviveARestart() throws Exception {
    try (BrokerFixture broker = new BrokerFixture(tmp)) {
      KeyBrokerAdminClient admin = broker.admin();
      for (int i = 0; i < 5; i++) {
        admin.createKey("k" + i, broker.simulatedPolicy());
      }
      String sha = broker.server.tlsSha256();
      DataKey before = broker.enclaveClient().dataKey("k3");
      String token = broker.enclaveClient().token();
      int auditBefore = admin.audit(null).size();

      broker.restart();
      assertTrue(broker.server.firstAdminToken().isEmpty(), "the admin token is created once");
      assertEquals(sha, broker.server.tlsSha256(), "the TLS identity is kept");
      admin = broker.admin();
      List<PrimaryKeyInfo> keys = admin.listKeys();
      assertEquals(5, keys.size());
      assertTrue(admin.getPolicy("k3").get("allowSimulated").asBoolean());
      try (DataKey after = broker.enclaveClient().unwrap(before.wrapped())) {
        assertArrayEquals(before.keyBytes(), after.keyBytes());
      }
      assertTrue(admin.audit(null).size() > auditBefore);
      // Tokens are signed by a key kept in the database, so they outlive the restart.
      RawKbs raw = new RawKbs(broker.url(), broker.tls());
      assertEquals(
          200,
          raw.postJson(
                  "/ppml/v1/unwrap",
                  "{\"keyName\":\"k3\",\"keyVersion\":1,\"wrappedKey\":\""
                      + Base64.getEncoder().encodeToString(before.wrapped().wrapped())
                      + "\"}",
                  "Authorization",
                  "Bearer " + token)
              .status());
      before.close();
    }
  }

  @Test
  void aClientWhoseTokenTheBrokerNoLongerAcceptsAttestsAgainOnce() throws Exception {
    BrokerFixture broker = new BrokerFixture(tmp);
    try {
      byte[] secret =
          "a resource that outlives a re-key".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      broker.admin().putResource("ppml/keys/r", secret, broker.simulatedPolicy());
      org.ppml.kmsclient.broker.KeyBrokerClient client = broker.enclaveClient();
      assertArrayEquals(secret, client.resource("ppml/keys/r"));
      String firstToken = client.token();

      // Same data, port and TLS identity, but a new token-signing key: every token issued
      // before is now refused with 401, as after a re-key or a restored backup.
      int port = broker.server.port();
      broker.server.close();
      try (java.sql.Connection c = TestBackend.connect(broker.dataDir());
          java.sql.Statement st = c.createStatement()) {
        assertEquals(1, st.executeUpdate("DELETE FROM settings WHERE name = 'token-signing-jwk'"));
      }
      broker.server =
          KeyBrokerServer.start(
              TestBackend.devConfig(broker.dataDir(), broker.devHome.directory()).withPort(port),
              null);
      RawKbs raw = new RawKbs(broker.url(), broker.tls());
      assertEquals(
          401,
          raw.send(
                  "GET",
                  "/kbs/v0/resource/ppml/keys/r",
                  null,
                  null,
                  "Authorization",
                  "Bearer " + firstToken)
              .status());

      assertArrayEquals(
          secret, client.resource("ppml/keys/r"), "the client attested again and got it");
      org.junit.jupiter.api.Assertions.assertNotEquals(firstToken, client.token());
    } finally {
      broker.close();
    }
  }

  @Test
  void aWrongMasterKeyRefusesToStart() throws Exception {
    BrokerFixture broker = new BrokerFixture(tmp);
    broker.admin().createKey("kept", broker.simulatedPolicy());
    broker.close();
    KeyBrokerConfig wrong =
        TestBackend.onBackend(
            KeyBrokerConfig.builder(broker.dataDir())
                .dev(broker.devHome.directory())
                .masterKeyValue(Base64.getEncoder().encodeToString(new byte[32]))
                .build());
    StoreException e = assertThrows(StoreException.class, () -> KeyBrokerServer.start(wrong, null));
    assertTrue(e.getMessage().contains("master key"), e.getMessage());
  }
}
