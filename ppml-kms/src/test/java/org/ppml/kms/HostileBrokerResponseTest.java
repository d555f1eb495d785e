package org.ppml.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.attestation.broker.BrokerTls;
import org.ppml.attestation.broker.KeyBrokerClient;
import org.ppml.attestation.broker.KeyBrokerException;
import org.ppml.attestation.simulated.DevHome;
import org.ppml.crypto.kms.KmsException;
import org.ppml.kms.tls.TlsIdentity;

/**
 * A server posing as the broker that answers with an endless body: the client stops reading at its
 * bound and says so, instead of buffering whatever the server sends.
 */
class HostileBrokerResponseTest {
    @TempDir
    Path tmp;

    @Test
    void anOversizedAnswerIsRefusedAfterReadingOnlyTheBound() throws Exception {
        TlsIdentity identity = TlsIdentity.loadOrCreate(tmp.resolve("tls"), List.of("127.0.0.1"));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(identity.keyStore(), identity.keyStorePassword().toCharArray());
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        AtomicLong sent = new AtomicLong();
        server.createContext("/", exchange -> {
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
        });
        server.start();
        try {
            DevHome dev = DevHome.init(tmp.resolve("dev"), Instant.now().minusSeconds(60));
            URI url = URI.create("https://127.0.0.1:" + server.getAddress().getPort());
            KeyBrokerClient client = new KeyBrokerClient(url, BrokerTls.pinned(identity.sha256()),
                    dev.provider(new byte[32]), Duration.ofSeconds(30));
            KeyBrokerException e = assertThrows(KeyBrokerException.class, client::token);
            assertEquals(KmsException.Reason.UNAVAILABLE, e.reason());
            assertTrue(e.getMessage().contains("more than"), e.getMessage());
            assertTrue(sent.get() < 64L * 1024 * 1024, "the client read everything the server sent: " + sent.get());
        } finally {
            server.stop(0);
        }
    }
}
