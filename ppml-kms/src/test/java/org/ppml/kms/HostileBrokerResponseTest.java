package org.ppml.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.attestation.simulated.DevHome;
import org.ppml.crypto.kms.KmsException;
import org.ppml.kmsclient.broker.KeyBrokerClient;
import org.ppml.kmsclient.broker.KeyBrokerException;

/**
 * A server posing as the broker that answers with an endless body: the client stops reading at its
 * bound and says so, instead of buffering whatever the server sends.
 */
class HostileBrokerResponseTest {
  @TempDir Path tmp;

  @Test
  void anOversizedAnswerIsRefusedAfterReadingOnlyTheBound() throws Exception {
    AtomicLong sent = new AtomicLong();
    try (PosingBroker server =
        PosingBroker.start(
            tmp.resolve("tls"),
            exchange -> {
              exchange.sendResponseHeaders(200, 0);
              byte[] chunk = new byte[64 * 1024];
              java.util.Arrays.fill(chunk, (byte) ' ');
              try (OutputStream out = exchange.getResponseBody()) {
                // 64 MiB of JSON whitespace, far past any answer the broker gives.
                for (int i = 0; i < 1024; i++) {
                  out.write(chunk);
                  sent.addAndGet(chunk.length);
                }
              } catch (java.io.IOException clientHungUp) {
                // Expected: the client stops reading at its bound.
              }
            })) {
      DevHome dev = DevHome.init(tmp.resolve("dev"), Instant.now().minusSeconds(60));
      KeyBrokerClient client =
          new KeyBrokerClient(
              server.url(), server.clientTls(), dev.provider(new byte[32]), Duration.ofSeconds(30));
      KeyBrokerException e = assertThrows(KeyBrokerException.class, client::token);
      assertEquals(KmsException.Reason.UNAVAILABLE, e.reason());
      assertTrue(e.getMessage().contains("more than"), e.getMessage());
      assertTrue(
          sent.get() < 64L * 1024 * 1024,
          "the client read everything the server sent: " + sent.get());
    }
  }
}
