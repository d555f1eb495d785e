package org.ppml.attestation.pcs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.attestation.TestVectors;
import org.ppml.attestation.collateral.CollateralBundle;
import org.ppml.attestation.collateral.CollateralFormatException;
import org.ppml.attestation.dcap.PckCertificate;
import org.ppml.attestation.dcap.QuoteVerifier;
import org.ppml.attestation.dcap.VerificationResult;
import org.ppml.attestation.quote.Quote;
import org.ppml.attestation.quote.TeeType;

/** A loopback HTTP server plays PCCS, serving the shared test data the way PCS v4 does. */
class PcsClientTest {
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final Map<String, Integer> statusOverride = new ConcurrentHashMap<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private URI serve(CollateralBundle b, String tee, String fmspcUpper, String ca) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String tcbBody = "{\"tcbInfo\":" + b.tcbInfo().rawJson() + ",\"signature\":\""
                + Hex.toHexString(b.tcbInfoSignature()) + "\"}";
        String qeBody = "{\"enclaveIdentity\":" + b.qeIdentity().rawJson() + ",\"signature\":\""
                + Hex.toHexString(b.qeIdentitySignature()) + "\"}";
        route("/" + tee + "/certification/v4/tcb", "fmspc=" + fmspcUpper, tcbBody.getBytes(StandardCharsets.UTF_8),
                "TCB-Info-Issuer-Chain", b.tcbInfoIssuerChain());
        route("/" + tee + "/certification/v4/qe/identity", null, qeBody.getBytes(StandardCharsets.UTF_8),
                "SGX-Enclave-Identity-Issuer-Chain", b.qeIdentityIssuerChain());
        route("/sgx/certification/v4/pckcrl", "ca=" + ca + "&encoding=der", b.pckCrl(), "SGX-PCK-CRL-Issuer-Chain",
                b.pckCrlIssuerChain());
        // PCCS answers rootcacrl with the hex of the DER.
        route("/sgx/certification/v4/rootcacrl", null, Hex.toHexString(b.rootCaCrl()).getBytes(StandardCharsets.US_ASCII),
                null, null);
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private void route(String path, String query, byte[] body, String header, String headerValue) {
        server.createContext(path, ex -> {
            requests.incrementAndGet();
            int status = statusOverride.getOrDefault(path, 200);
            if (query != null && !query.equals(ex.getRequestURI().getRawQuery())) {
                status = 404;
            }
            if (header != null) {
                ex.getResponseHeaders().add(header, URLEncoder.encode(headerValue, StandardCharsets.UTF_8));
            }
            reply(ex, status, status == 200 ? body : new byte[0]);
        });
    }

    private static void reply(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Test
    void fetchedSgxCollateralVerifiesTheRealQuote() throws Exception {
        TestVectors v = TestVectors.SGX_V3;
        CollateralBundle original = CollateralBundle.parse(v.collateralBytes());
        URI base = serve(original, "sgx", "00A067110000", "processor");
        Quote quote = Quote.parse(v.quoteBytes());
        CollateralRequest req = CollateralRequest.forQuote(quote);
        assertEquals(new CollateralRequest(TeeType.SGX, "00a067110000", PckCertificate.Issuer.PROCESSOR), req);
        CollateralBundle fetched = new PcsClient(base).fetch(req);
        assertEquals(original.tcbInfo().rawJson(), fetched.tcbInfo().rawJson(), "raw signed text is kept exactly");
        VerificationResult r = QuoteVerifier.intel().verify(quote, fetched, v.at);
        assertTrue(r.verified());
    }

    @Test
    void fetchedTdxCollateralUsesTdxPathsAndThePlatformCrl() throws Exception {
        TestVectors v = TestVectors.TDX_V4;
        URI base = serve(CollateralBundle.parse(v.collateralBytes()), "tdx", "B0C06F000000", "platform");
        Quote quote = Quote.parse(v.quoteBytes());
        CollateralBundle fetched = new PcsClient(base).fetch(CollateralRequest.forQuote(quote));
        assertTrue(QuoteVerifier.intel().verify(quote, fetched, v.at).verified());
    }

    @Test
    void cacheServesUntilShortlyBeforeNextUpdate(@TempDir Path dir) throws Exception {
        TestVectors v = TestVectors.SGX_V3;
        URI base = serve(CollateralBundle.parse(v.collateralBytes()), "sgx", "00A067110000", "processor");
        CollateralCache cache = new CollateralCache(dir, new PcsClient(base), Duration.ofHours(1));
        CollateralRequest req = CollateralRequest.forQuote(Quote.parse(v.quoteBytes()));
        Instant early = Instant.parse("2025-07-01T00:00:00Z");
        cache.get(req, early);
        assertEquals(4, requests.get());
        CollateralBundle cached = cache.get(req, early.plusSeconds(3600));
        assertEquals(4, requests.get(), "served from the disk cache");
        assertTrue(Files.exists(dir.resolve("sgx-00a067110000-processor.json")));
        // QE Identity's nextUpdate is the earliest: 2025-07-19T10:01:18Z; within the margin we refetch.
        assertEquals(Instant.parse("2025-07-19T10:01:18Z"), CollateralCache.earliestNextUpdate(cached));
        cache.get(req, Instant.parse("2025-07-19T09:30:00Z"));
        assertEquals(8, requests.get());
        // A damaged cache entry is replaced.
        Files.writeString(dir.resolve("sgx-00a067110000-processor.json"), "{garbage");
        cache.get(req, early);
        assertEquals(12, requests.get());
    }

    @Test
    void serverErrorsAreIoErrorsNamingTheResource() throws Exception {
        TestVectors v = TestVectors.SGX_V3;
        URI base = serve(CollateralBundle.parse(v.collateralBytes()), "sgx", "00A067110000", "processor");
        statusOverride.put("/sgx/certification/v4/qe/identity", 503);
        CollateralRequest req = CollateralRequest.forQuote(Quote.parse(v.quoteBytes()));
        IOException e = assertThrows(IOException.class, () -> new PcsClient(base).fetch(req));
        assertTrue(e.getMessage().contains("QE Identity") && e.getMessage().contains("503"), e.getMessage());
        // A wrong FMSPC finds nothing.
        CollateralRequest other = new CollateralRequest(TeeType.SGX, "000000000000", PckCertificate.Issuer.PROCESSOR);
        assertThrows(IOException.class, () -> new PcsClient(base).fetch(other));
    }

    @Test
    void envelopeKeepsTheExactSignedText() throws Exception {
        String inner = "{ \"a\" : [1, {\"b\":\"}\"}] ,\"c\":2 }";
        SignedJsonEnvelope e = SignedJsonEnvelope.parse("{\"x\":1, \"tcbInfo\":" + inner + ",\"signature\":\"ab\"}",
                "tcbInfo", "TCB Info");
        assertEquals(inner, e.rawBody());
        assertEquals("ab", e.signatureHex());
        assertThrows(CollateralFormatException.class, () -> SignedJsonEnvelope.parse("{\"tcbInfo\":{}", "tcbInfo", "x"));
        assertThrows(CollateralFormatException.class, () -> SignedJsonEnvelope.parse("[]", "tcbInfo", "x"));
        assertThrows(CollateralFormatException.class, () -> SignedJsonEnvelope.parse("{\"tcbInfo\":{}}", "tcbInfo", "x"));
    }
}
