package org.ppml.attestation.ehsm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ppml.attestation.broker.BrokerTls;
import org.ppml.crypto.kms.KmsException;

/** The eHSM client against an in-repo server that reproduces eHSM's protocol quirks. */
class EhsmClientTest {
    private static final byte[] APP_KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    static EhsmProtocolServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new EhsmProtocolServer(Clock.systemUTC());
        server.enroll("app-1", APP_KEY);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static EhsmClient client(byte[] key, Clock clock) throws Exception {
        return new EhsmClient(URI.create(server.url()), BrokerTls.pinned(server.sha256()), "app-1", key,
                Duration.ofSeconds(10), clock);
    }

    @Test
    void signStringSortsAndSkipsEmptyNullZeroAndFalse() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("z", 1);
        payload.put("y", "k");
        payload.put("x", 0);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("b", "x");
        p.put("a", 0);
        p.put("c", false);
        p.put("d", "");
        p.put("e", null);
        p.put("payload", payload);
        p.put("f", true);
        assertEquals("b=x&f=true&payload=y=k&z=1", EhsmSignature.signString(p));
    }

    @Test
    void dataKeyRoundTripAndQuoteCalls() throws Exception {
        EhsmClient c = client(APP_KEY, Clock.systemUTC());
        String keyId = c.createKey("EH_AES_GCM_256", "EH_INTERNAL_KEY");
        byte[] aad = "file-1".getBytes(StandardCharsets.UTF_8);
        byte[] wrapped = c.generateDataKeyWithoutPlaintext(keyId, 32, aad);
        byte[] plain = c.decrypt(keyId, wrapped, aad);
        assertEquals(32, plain.length);
        assertArrayEquals(plain, c.decrypt(keyId, wrapped, aad));
        EhsmException wrongAad = assertThrows(EhsmException.class, () -> c.decrypt(keyId, wrapped, new byte[] {1}));
        assertEquals(400, wrongAad.code());
        EhsmException missing = assertThrows(EhsmException.class, () -> c.decrypt("nope", wrapped, aad));
        assertEquals(KmsException.Reason.KEY_NOT_FOUND, missing.reason());
        String policy = c.uploadQuotePolicy("aa".repeat(32), "bb".repeat(32));
        assertTrue(c.verifyQuote(new byte[] {1, 2, 3}, "n-1", policy).path("result").asBoolean());
        assertTrue(c.toString().contains("redacted"));
    }

    @Test
    void ehsmKmsThroughTheRegistryWrapsAndUnwraps(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        java.nio.file.Path keyFile = tmp.resolve("appkey");
        java.nio.file.Files.write(keyFile, APP_KEY);
        String keyId = client(APP_KEY, Clock.systemUTC()).createKey("EH_AES_GCM_256", "EH_INTERNAL_KEY");
        String uri = "ehsm+https://127.0.0.1:" + URI.create(server.url()).getPort() + "?appid=app-1&tlsSha256="
                + server.sha256();
        try (org.ppml.crypto.kms.Kms kms = org.ppml.crypto.kms.KmsRegistry.open(uri,
                org.ppml.crypto.kms.KmsCredentials.of(null, keyFile))) {
            try (org.ppml.crypto.kms.DataKey k = kms.generateDataKey(keyId);
                    org.ppml.crypto.kms.DataKey back = kms.unwrap(k.wrapped())) {
                assertArrayEquals(k.keyBytes(), back.keyBytes());
            }
            org.ppml.crypto.kms.WrappedKey w = kms.generateWrappedDataKey(keyId);
            KmsException renamed = assertThrows(KmsException.class,
                    () -> kms.unwrap(new org.ppml.crypto.kms.WrappedKey(keyId + "x", 1, w.wrapped())));
            assertTrue(renamed.reason() == KmsException.Reason.KEY_NOT_FOUND
                    || renamed.reason() == KmsException.Reason.UNWRAP_FAILED, renamed.reason().toString());
        }
    }

    @Test
    void wrongKeyStaleTimestampAndReplayAreTypedErrors() throws Exception {
        EhsmException badSign = assertThrows(EhsmException.class,
                () -> client("wrong-key-wrong-key-wrong-key-xx".getBytes(StandardCharsets.US_ASCII), Clock.systemUTC())
                        .createKey("EH_AES_GCM_256", "EH_INTERNAL_KEY"));
        assertEquals(401, badSign.code());
        assertEquals(KmsException.Reason.DENIED, badSign.reason());
        Clock late = Clock.fixed(Instant.now().minus(Duration.ofMinutes(11)), ZoneOffset.UTC);
        EhsmException stale = assertThrows(EhsmException.class,
                () -> client(APP_KEY, late).createKey("EH_AES_GCM_256", "EH_INTERNAL_KEY"));
        assertTrue(stale.getMessage().contains("timestamp"), stale.getMessage());

        // A captured request replayed verbatim is refused by its nonce, still with HTTP 200.
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("keyspec", "EH_AES_GCM_256");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("appid", "app-1");
        params.put("nonce", "fixed-nonce");
        params.put("timestamp", String.valueOf(System.currentTimeMillis()));
        params.put("payload", payload);
        params.put("sign", EhsmSignature.sign(APP_KEY, params));
        String body = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(params);
        HttpClient http = HttpClient.newBuilder().sslContext(BrokerTls.pinned(server.sha256())).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(server.url() + "/ehsm?Action=CreateKey"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> first = http.send(req, HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> replay = http.send(req, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, first.statusCode());
        assertTrue(first.body().contains("\"code\":200"), first.body());
        assertEquals(200, replay.statusCode());
        assertTrue(replay.body().contains("nonce replayed"), replay.body());
    }
}
