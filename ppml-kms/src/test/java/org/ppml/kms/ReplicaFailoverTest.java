package org.ppml.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.kms.testing.PostgresServer;
import org.ppml.kms.testing.ReplicaCluster;
import org.ppml.kms.testing.ReplicaLoad;
import org.ppml.kms.testing.StoreContents;
import org.ppml.kmsclient.broker.KbsErrorType;
import org.ppml.kmsclient.broker.KeyBrokerAdminClient;

/**
 * Three broker replicas (child JVMs) on one real PostgreSQL, behind a real HAProxy in TCP mode with
 * no stickiness. The replicas race to initialise the database; a nonce, a KBS session and a token
 * from one replica work on the others, once; then 32 clients attest and unwrap, and create keys,
 * while one replica is killed with SIGKILL and started again and a key's policy is revoked.
 * Afterwards every acknowledged operation is in the database with its audit record, and no request
 * that started after the revocation was given the key.
 */
class ReplicaFailoverTest {
  private static final int CLIENTS = 32;
  private static final int ADMINS = 4;

  @TempDir Path tmp;

  @Test
  void replicasShareStateAndSurviveTheLossOfOne() throws Exception {
    Assumptions.assumeTrue(
        ReplicaCluster.available(),
        PostgresServer.HOW_TO_ENABLE
            + "; the replica test also needs `apt-get install -y haproxy`");
    try (ReplicaCluster cluster = ReplicaCluster.start(tmp, 3)) {
      assertEquals(
          1,
          cluster.adminTokenFiles().size(),
          "exactly one replica initialised the database: " + cluster.adminTokenFiles());
      assertEquals(
          1, new HashSet<>(cluster.fingerprints()).size(), "one certificate for all replicas");
      KeyBrokerAdminClient admin =
          new KeyBrokerAdminClient(
              cluster.replica(2), cluster.tls(), cluster.adminToken(), BrokerFixture.TIMEOUT);
      admin.createKey("probe", null);
      crossReplicaProtocol(cluster);

      ReplicaLoad load =
          new ReplicaLoad(cluster.front(), cluster.tls(), cluster.devHome(), cluster.adminToken());
      load.setUp();
      load.start(CLIENTS - ADMINS, ADMINS, 1);
      Thread.sleep(4_000);
      long killedAt = System.nanoTime();
      cluster.kill(1);
      Thread.sleep(3_000);
      cluster.restart(1);
      Thread.sleep(2_000);
      load.revoke();
      Thread.sleep(3_000);
      load.stop();
      System.out.printf(
          "replica failover: %d attests, %d unwraps, %d keys created; failover gap %.0f ms,"
              + " %d failed requests at %s ms after the kill: %s%n",
          load.attestsAcknowledged.get(),
          load.unwraps(),
          load.keysCreated.size(),
          load.gapMillis(killedAt),
          load.errors.size(),
          load.errorOffsetsMillis(killedAt),
          load.errorKinds);

      assertEquals(0, load.releasesAfterRevocation.get(), "released after the revocation");
      assertEquals(0, load.wrongKeys.get(), "a release differed from the wrapped key");
      assertTrue(load.unwraps() > 0 && !load.keysCreated.isEmpty(), "the load did not run");
      assertTrue(
          load.errors.size() < load.unwraps(),
          () -> "mostly failing: " + load.errorKinds + "\n" + cluster.logs());

      StoreContents stored = StoreContents.read(null, cluster.database());
      for (String k : load.keysCreated) {
        assertTrue(stored.keys().containsKey(k), k + " was acknowledged but is gone");
        assertTrue(stored.audits("admin.create-key", k), k + " has no audit record");
      }
      for (Map.Entry<String, AtomicLong> e : load.unwrapsAcknowledged.entrySet()) {
        int audited = stored.audited().getOrDefault("unwrap " + e.getKey(), 0);
        assertTrue(
            audited >= e.getValue().get(),
            e.getValue().get()
                + " unwraps of "
                + e.getKey()
                + " acknowledged, "
                + audited
                + " audited");
      }
      assertTrue(
          stored.audited().getOrDefault("attest null", 0) >= load.attestsAcknowledged.get(),
          "an acknowledged attest has no audit record");
    }
  }

  /**
   * A nonce from replica 0 is used on replica 1 and refused on replica 2; the session that attested
   * on replica 1 fetches a resource from replica 2 by its cookie; the token replica 1 signed is
   * accepted by replica 0.
   */
  private static void crossReplicaProtocol(ReplicaCluster cluster) throws Exception {
    KeyBrokerAdminClient admin =
        new KeyBrokerAdminClient(
            cluster.replica(0), cluster.tls(), cluster.adminToken(), BrokerFixture.TIMEOUT);
    admin.putResource(
        "repo/type/tag",
        new byte[] {7, 7, 7},
        "{\"mrSigner\":\""
            + BrokerFixture.hex(cluster.devHome().mrSigner())
            + "\",\"isvProdId\":0,\"allowSimulated\":true,\"allowDebug\":true}");
    RawKbs r0 = new RawKbs(cluster.replica(0), cluster.tls());
    RawKbs r1 = new RawKbs(cluster.replica(1), cluster.tls());
    RawKbs r2 = new RawKbs(cluster.replica(2), cluster.tls());
    RawKbs.Reply auth = r0.auth();
    assertEquals(200, auth.status(), auth.body());
    String body =
        KeyBrokerEndToEndTestSupport.attestBody(
            cluster.devHome(),
            auth.json().get("nonce").asText(),
            new ECKeyGenerator(Curve.P_256).generate().toPublicJWK().toJSONObject());
    String cookie = "kbs-session-id=" + auth.session();
    RawKbs.Reply attested = r1.postJson("/kbs/v0/attest", body, "Cookie", cookie);
    assertEquals(200, attested.status(), attested.body());
    RawKbs.Reply replay = r2.postJson("/kbs/v0/attest", body, "Cookie", cookie);
    assertEquals(401, replay.status(), "a nonce used on replica 1 was accepted again on replica 2");
    assertEquals(KbsErrorType.AttestationError.uri(), replay.json().path("type").asText());
    assertFalse(replay.body().contains("\"token\""), replay.body());
    RawKbs.Reply resource =
        r2.send("GET", "/kbs/v0/resource/repo/type/tag", null, null, "Cookie", cookie);
    assertEquals(
        200, resource.status(), "the session from replica 1 on replica 2: " + resource.body());
    String jwt = attested.json().get("token").asText();
    RawKbs.Reply byToken =
        r0.send(
            "GET", "/kbs/v0/resource/repo/type/tag", null, null, "Authorization", "Bearer " + jwt);
    assertEquals(200, byToken.status(), "the token of replica 1 on replica 0: " + byToken.body());
    JsonNode jwe = byToken.json();
    assertTrue(jwe.has("ciphertext") || jwe.has("protected"), jwe.toString());
  }
}
