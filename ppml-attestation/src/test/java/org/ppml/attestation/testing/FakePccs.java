package org.ppml.attestation.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.util.encoders.Hex;
import org.ppml.attestation.collateral.CollateralBundle;

/**
 * A loopback HTTP server playing an Intel PCS / PCCS (v4 API) for one platform: it serves one
 * collateral bundle the way PCS does (signed JSON envelopes, URL-encoded issuer-chain headers, the
 * root CA CRL as hex), answers 404 to a query for another FMSPC or CA, and counts requests.
 */
public final class FakePccs implements AutoCloseable {
  private final HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private final Map<String, Integer> statusOverride = new ConcurrentHashMap<>();

  private FakePccs(HttpServer server) {
    this.server = server;
  }

  /**
   * Serves {@code b} for TEE {@code tee} ("sgx" or "tdx"), FMSPC {@code fmspcUpper} and PCK CA
   * {@code ca} ("processor" or "platform").
   */
  public static FakePccs serve(CollateralBundle b, String tee, String fmspcUpper, String ca)
      throws IOException {
    FakePccs pccs =
        new FakePccs(
            HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
    String tcbBody =
        "{\"tcbInfo\":"
            + b.tcbInfo().rawJson()
            + ",\"signature\":\""
            + Hex.toHexString(b.tcbInfoSignature())
            + "\"}";
    String qeBody =
        "{\"enclaveIdentity\":"
            + b.qeIdentity().rawJson()
            + ",\"signature\":\""
            + Hex.toHexString(b.qeIdentitySignature())
            + "\"}";
    pccs.route(
        "/" + tee + "/certification/v4/tcb",
        "fmspc=" + fmspcUpper,
        tcbBody.getBytes(StandardCharsets.UTF_8),
        "TCB-Info-Issuer-Chain",
        b.tcbInfoIssuerChain());
    pccs.route(
        "/" + tee + "/certification/v4/qe/identity",
        null,
        qeBody.getBytes(StandardCharsets.UTF_8),
        "SGX-Enclave-Identity-Issuer-Chain",
        b.qeIdentityIssuerChain());
    pccs.route(
        "/sgx/certification/v4/pckcrl",
        "ca=" + ca + "&encoding=der",
        b.pckCrl(),
        "SGX-PCK-CRL-Issuer-Chain",
        b.pckCrlIssuerChain());
    // PCCS answers rootcacrl with the hex of the DER.
    pccs.route(
        "/sgx/certification/v4/rootcacrl",
        null,
        Hex.toHexString(b.rootCaCrl()).getBytes(StandardCharsets.US_ASCII),
        null,
        null);
    pccs.server.start();
    return pccs;
  }

  /** The base URL to give a PCS client. */
  public URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  /** Requests served so far, errors included. */
  public int requests() {
    return requests.get();
  }

  /** From now on, answer {@code path} with {@code status} and no body. */
  public void failWith(String path, int status) {
    statusOverride.put(path, status);
  }

  private void route(String path, String query, byte[] body, String header, String headerValue) {
    server.createContext(
        path,
        ex -> {
          requests.incrementAndGet();
          int status = statusOverride.getOrDefault(path, 200);
          if (query != null && !query.equals(ex.getRequestURI().getRawQuery())) {
            status = 404;
          }
          if (header != null) {
            ex.getResponseHeaders()
                .add(header, URLEncoder.encode(headerValue, StandardCharsets.UTF_8));
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

  @Override
  public void close() {
    server.stop(0);
  }
}
