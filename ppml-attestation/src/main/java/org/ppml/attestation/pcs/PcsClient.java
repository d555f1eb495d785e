package org.ppml.attestation.pcs;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.bouncycastle.util.encoders.Base64;
import org.bouncycastle.util.encoders.Hex;
import org.ppml.attestation.collateral.CollateralBundle;
import org.ppml.attestation.collateral.CollateralFormatException;
import org.ppml.attestation.collateral.QeIdentity;
import org.ppml.attestation.collateral.TcbInfo;
import org.ppml.attestation.quote.TeeType;

/**
 * A client for the Intel PCS / PCCS v4 collateral API: {@code
 * /{sgx|tdx}/certification/v4/tcb?fmspc=}, {@code /{sgx|tdx}/certification/v4/qe/identity}, {@code
 * /sgx/certification/v4/pckcrl?ca=&encoding=der} and {@code /sgx/certification/v4/rootcacrl}.
 * Issuer chains come from the URL-encoded response headers.
 */
public final class PcsClient {
  /** Intel's public PCS. */
  public static final URI INTEL_PCS = URI.create("https://api.trustedservices.intel.com");

  /**
   * Where Intel publishes the SGX Root CA's CRL (the PCS has no {@code rootcacrl} endpoint; PCCS
   * does).
   */
  public static final URI INTEL_ROOT_CA_CRL =
      URI.create("https://certificates.trustedservices.intel.com/IntelSGXRootCA.der");

  static final int MAX_RESPONSE = 4 << 20;

  private final URI base;
  private final URI rootCaCrl;
  private final HttpClient http;
  private final Duration timeout;

  /**
   * A client for a PCCS at {@code base} (e.g. {@code https://pccs.example:8081}), 30 s request
   * timeout.
   */
  public PcsClient(URI base) {
    this(
        base,
        null,
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(),
        Duration.ofSeconds(30));
  }

  /** A client for Intel's PCS, taking the root CA CRL from Intel's certificate site. */
  public static PcsClient intel() {
    return new PcsClient(
        INTEL_PCS,
        INTEL_ROOT_CA_CRL,
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(),
        Duration.ofSeconds(30));
  }

  /**
   * @param rootCaCrl where to get the root CA CRL, or null for the PCCS {@code rootcacrl} endpoint
   *     under {@code base}
   */
  public PcsClient(URI base, URI rootCaCrl, HttpClient http, Duration timeout) {
    String b = Objects.requireNonNull(base, "base").toString();
    this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
    this.rootCaCrl =
        rootCaCrl != null ? rootCaCrl : URI.create(this.base + "/sgx/certification/v4/rootcacrl");
    this.http = Objects.requireNonNull(http, "http");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /**
   * Fetches a complete collateral bundle for {@code request}.
   *
   * @throws IOException on a transport error, a non-200 status, a missing header or an oversized
   *     response
   * @throws CollateralFormatException if a response is malformed
   */
  public CollateralBundle fetch(CollateralRequest request)
      throws IOException, CollateralFormatException {
    String tee = request.teeType() == TeeType.TDX ? "tdx" : "sgx";
    String fmspc = request.fmspcHex().toUpperCase(Locale.ROOT);

    Response tcb = get("/" + tee + "/certification/v4/tcb?fmspc=" + fmspc, "TCB Info");
    SignedJsonEnvelope tcbEnvelope = SignedJsonEnvelope.parse(tcb.text(), "tcbInfo", "TCB Info");
    String tcbChain = tcb.header("TCB-Info-Issuer-Chain", "SGX-TCB-Info-Issuer-Chain");

    Response qe = get("/" + tee + "/certification/v4/qe/identity", "QE Identity");
    SignedJsonEnvelope qeEnvelope =
        SignedJsonEnvelope.parse(qe.text(), "enclaveIdentity", "QE Identity");
    String qeChain =
        qe.header("SGX-Enclave-Identity-Issuer-Chain", "Enclave-Identity-Issuer-Chain");

    Response pckCrl =
        get(
            "/sgx/certification/v4/pckcrl?ca=" + request.pckCa().pcsName() + "&encoding=der",
            "PCK CRL");
    String pckCrlChain = pckCrl.header("SGX-PCK-CRL-Issuer-Chain", "PCK-CRL-Issuer-Chain");
    Response rootCrl = get(rootCaCrl, "root CA CRL");

    return new CollateralBundle(
        pckCrlChain,
        crlDer(rootCrl.body()),
        crlDer(pckCrl.body()),
        tcbChain,
        TcbInfo.parse(tcbEnvelope.rawBody()),
        StrictHex.decode(tcbEnvelope.signatureHex(), 64, "TCB Info signature"),
        qeChain,
        QeIdentity.parse(qeEnvelope.rawBody()),
        StrictHex.decode(qeEnvelope.signatureHex(), 64, "QE Identity signature"));
  }

  /** CRLs come as DER, as hex of DER (PCCS {@code rootcacrl}), or as PEM. */
  static byte[] crlDer(byte[] body) throws CollateralFormatException {
    String text = new String(body, StandardCharsets.US_ASCII).trim();
    if (text.startsWith("-----BEGIN X509 CRL-----")) {
      String b64 =
          text.replace("-----BEGIN X509 CRL-----", "")
              .replace("-----END X509 CRL-----", "")
              .replaceAll("\\s", "");
      try {
        return Base64.decode(b64);
      } catch (RuntimeException e) {
        throw new CollateralFormatException("CRL PEM is not base64");
      }
    }
    if (!text.isEmpty()
        && text.length() % 2 == 0
        && text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      return Hex.decode(text);
    }
    return body;
  }

  private Response get(String pathAndQuery, String what) throws IOException {
    return get(URI.create(base + pathAndQuery), what);
  }

  private Response get(URI uri, String what) throws IOException {
    HttpRequest req = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
    HttpResponse<InputStream> resp;
    try {
      resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching " + what + " from " + uri, e);
    }
    byte[] body;
    try (InputStream in = resp.body()) {
      body = in.readNBytes(MAX_RESPONSE + 1);
    }
    if (resp.statusCode() != 200) {
      throw new IOException(what + ": " + uri + " answered HTTP " + resp.statusCode());
    }
    if (body.length > MAX_RESPONSE) {
      throw new IOException(
          what + ": response from " + uri + " is larger than " + MAX_RESPONSE + " bytes");
    }
    return new Response(what, uri, resp, body);
  }

  private record Response(String what, URI uri, HttpResponse<InputStream> http, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    String header(String... names) throws IOException {
      for (String name : names) {
        var value = http.headers().firstValue(name);
        if (value.isPresent()) {
          try {
            return URLDecoder.decode(value.get(), StandardCharsets.UTF_8);
          } catch (IllegalArgumentException e) {
            throw new IOException(what + ": header " + name + " is not URL-encoded");
          }
        }
      }
      throw new IOException(what + ": " + uri + " sent no " + names[0] + " header");
    }
  }
}
