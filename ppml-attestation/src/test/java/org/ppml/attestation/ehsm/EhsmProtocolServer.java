package org.ppml.attestation.ehsm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * An in-repo eHSM protocol server for tests. It reproduces eHSM's quirks: every answer is HTTP 200
 * with its own {@code code}; the signature is checked over the sorted parameters with eHSM's skip
 * rules; the timestamp must lie within ±10 minutes; a nonce is refused if seen before. Keys are
 * AES-256-GCM in memory. VerifyQuote, like eHSM's, checks nothing that ties it to later Decrypts.
 */
final class EhsmProtocolServer implements AutoCloseable {
    static final Duration WINDOW = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpsServer server;
    private final String sha256;
    private final Map<String, byte[]> apps = new ConcurrentHashMap<>();
    private final Map<String, byte[]> keys = new ConcurrentHashMap<>();
    private final Map<String, String> policies = new ConcurrentHashMap<>();
    private final Map<String, Long> seenNonces = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    EhsmProtocolServer(Clock clock) throws Exception {
        this.clock = clock;
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        KeyPair pair = g.generateKeyPair();
        X500Name name = new X500Name("CN=ehsm-test");
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.ONE, new Date(System.currentTimeMillis() - 60_000),
                new Date(System.currentTimeMillis() + 86_400_000L), name, pair.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
        sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("k", pair.getPrivate(), "x".toCharArray(), new X509Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "x".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ctx));
        server.createContext("/ehsm", this::handle);
        server.start();
    }

    String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    String sha256() {
        return sha256;
    }

    void enroll(String appId, byte[] appKey) {
        apps.put(appId, appKey.clone());
    }

    private void handle(HttpExchange ex) throws IOException {
        ObjectNode reply;
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes(1 << 20);
            String query = ex.getRequestURI().getQuery();
            String action = query != null && query.startsWith("Action=") ? query.substring(7) : "";
            reply = dispatch(action, JSON.readTree(body));
        } catch (Exception e) {
            reply = result(400, "bad request", null);
        }
        byte[] out = JSON.writeValueAsBytes(reply);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, out.length);
        ex.getResponseBody().write(out);
        ex.close();
    }

    private ObjectNode dispatch(String action, JsonNode req) throws Exception {
        String appId = req.path("appid").asText("");
        byte[] appKey = apps.get(appId);
        if (appKey == null) {
            return result(401, "unknown appid", null);
        }
        long ts = Long.parseLong(req.path("timestamp").asText("0"));
        if (Math.abs(clock.millis() - ts) > WINDOW.toMillis()) {
            return result(401, "timestamp out of window", null);
        }
        Map<String, Object> params = new LinkedHashMap<>();
        for (Iterator<String> it = req.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.equals("sign")) {
                params.put(k, k.equals("payload") ? JSON.convertValue(req.get(k), Map.class) : scalar(req.get(k)));
            }
        }
        byte[] expected = EhsmSignature.sign(appKey, params).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, req.path("sign").asText("").getBytes(StandardCharsets.US_ASCII))) {
            return result(401, "signature mismatch", null);
        }
        String nonce = req.path("nonce").asText("");
        if (nonce.isEmpty() || seenNonces.putIfAbsent(nonce, ts) != null) {
            return result(401, "nonce replayed", null);
        }
        JsonNode p = req.path("payload");
        return switch (action) {
            case "CreateKey" -> {
                String id = UUID.randomUUID().toString();
                byte[] k = new byte[32];
                random.nextBytes(k);
                keys.put(id, k);
                yield result(200, "success", JSON.createObjectNode().put("keyid", id));
            }
            case "GenerateDataKeyWithoutPlaintext" -> {
                byte[] k = keys.get(p.path("keyid").asText());
                if (k == null) {
                    yield result(404, "no such key", null);
                }
                byte[] dk = new byte[p.path("keylen").asInt(32)];
                random.nextBytes(dk);
                yield result(200, "success", JSON.createObjectNode().put("ciphertext",
                        Base64.getEncoder().encodeToString(seal(k, dk, aad(p)))));
            }
            case "Decrypt" -> {
                byte[] k = keys.get(p.path("keyid").asText());
                if (k == null) {
                    yield result(404, "no such key", null);
                }
                byte[] plain = open(k, Base64.getDecoder().decode(p.path("ciphertext").asText()), aad(p));
                yield plain == null ? result(400, "decrypt failed", null)
                        : result(200, "success", JSON.createObjectNode().put("plaintext",
                                Base64.getEncoder().encodeToString(plain)));
            }
            case "UploadQuotePolicy" -> {
                String id = UUID.randomUUID().toString();
                policies.put(id, p.path("mr_enclave").asText() + "/" + p.path("mr_signer").asText());
                yield result(200, "success", JSON.createObjectNode().put("policyId", id));
            }
            case "VerifyQuote" -> result(200, "success", JSON.createObjectNode()
                    .put("result", policies.containsKey(p.path("policyId").asText()))
                    .put("nonce", p.path("nonce").asText()));
            default -> result(400, "unknown action", null);
        };
    }

    private static Object scalar(JsonNode n) {
        return n.isNumber() ? n.numberValue() : n.isBoolean() ? n.booleanValue() : n.isNull() ? null : n.asText();
    }

    private static byte[] aad(JsonNode p) {
        return Base64.getDecoder().decode(p.path("aad").asText(""));
    }

    private byte[] seal(byte[] key, byte[] plain, byte[] aad) throws Exception {
        byte[] iv = new byte[12];
        random.nextBytes(iv);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
        c.updateAAD(aad);
        byte[] ct = c.doFinal(plain);
        byte[] out = new byte[12 + ct.length];
        System.arraycopy(iv, 0, out, 0, 12);
        System.arraycopy(ct, 0, out, 12, ct.length);
        return out;
    }

    private static byte[] open(byte[] key, byte[] sealed, byte[] aad) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, sealed, 0, 12));
            c.updateAAD(aad);
            return c.doFinal(sealed, 12, sealed.length - 12);
        } catch (Exception e) {
            return null;
        }
    }

    private static ObjectNode result(int code, String message, ObjectNode data) {
        ObjectNode o = JSON.createObjectNode();
        o.put("code", code);
        o.put("message", message);
        o.set("result", data == null ? JSON.createObjectNode() : data);
        return o;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
