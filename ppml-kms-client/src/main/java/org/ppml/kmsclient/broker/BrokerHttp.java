package org.ppml.kmsclient.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.ppml.crypto.json.StrictJsonMapper;
import org.ppml.crypto.kms.KmsException.Reason;

/**
 * JSON over HTTPS to the broker with java.net.http: TLS 1.3/1.2 only, no redirects, bounded
 * responses, and RFC 7807 problems and KBS error bodies turned into {@link KeyBrokerException}s.
 */
final class BrokerHttp {
  static final ObjectMapper JSON = StrictJsonMapper.create();
  private static final int MAX_RESPONSE = 4 << 20;
  private static final int MAX_DETAIL = 1024;

  private final URI base;
  private final HttpClient http;
  private final Duration timeout;

  /** One response: status, JSON body, and the cookies it set. */
  record Response(int status, JsonNode body, List<String> setCookies) {
    /** The status only: the body may hold a token or a JWE, and the cookies a session id. */
    @Override
    public String toString() {
      return "Response[" + status + "]";
    }

    String cookie(String name) {
      for (String c : setCookies) {
        String first = c.split(";", 2)[0];
        int eq = first.indexOf('=');
        if (eq > 0 && first.substring(0, eq).trim().equals(name)) {
          return first.substring(eq + 1).trim();
        }
      }
      return null;
    }
  }

  BrokerHttp(URI baseUrl, SSLContext tls, Duration timeout) {
    if (!"https".equals(baseUrl.getScheme())) {
      throw new IllegalArgumentException("the broker is reached over https only");
    }
    this.base = URI.create(baseUrl.toString().replaceAll("/+$", ""));
    SSLParameters params = new SSLParameters();
    params.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
    this.http =
        HttpClient.newBuilder()
            .sslContext(Objects.requireNonNull(tls, "tls"))
            .sslParameters(params)
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    this.timeout = timeout;
  }

  URI base() {
    return base;
  }

  Response send(String method, String path, String bearer, String cookie, JsonNode body)
      throws KeyBrokerException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(timeout)
            .header("Accept", "application/json");
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
      b.method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<InputStream> r;
    byte[] bytes;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      // Read no further than the bound: a broken or hostile server cannot make us buffer more.
      try (InputStream in = r.body()) {
        bytes = in.readNBytes(MAX_RESPONSE + 1);
      }
    } catch (IOException e) {
      throw new KeyBrokerException(Reason.UNAVAILABLE, unreachable(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KeyBrokerException(
          Reason.UNAVAILABLE, "interrupted while calling the key broker", e);
    }
    if (bytes.length > MAX_RESPONSE) {
      throw new KeyBrokerException(
          Reason.UNAVAILABLE,
          "the key broker at "
              + base
              + " answered "
              + method
              + " "
              + path
              + " with more than "
              + MAX_RESPONSE
              + " bytes; refusing to read it",
          null);
    }
    JsonNode json;
    try {
      json = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
    } catch (IOException e) {
      json = JSON.createObjectNode();
    }
    if (r.statusCode() / 100 != 2) {
      throw problem(r.statusCode(), json, method + " " + path);
    }
    return new Response(r.statusCode(), json, r.headers().allValues("set-cookie"));
  }

  /**
   * Why no answer arrived, in words an operator acts on: a TLS failure (wrong pin or CA) reads
   * differently from a broker that is down or slow.
   */
  private String unreachable(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLException) {
        return "TLS handshake with the key broker at " + base + " failed: " + deepestMessage(t);
      }
    }
    if (e instanceof ConnectException) {
      return "cannot reach the key broker at " + base + ": connection refused or no route";
    }
    if (e instanceof HttpTimeoutException) {
      return "the key broker at " + base + " did not answer within " + timeout.toSeconds() + " s";
    }
    return "cannot reach the key broker at " + base + ": " + deepestMessage(e);
  }

  private static String deepestMessage(Throwable t) {
    String message = t.getClass().getSimpleName();
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c.getMessage() != null && !c.getMessage().isBlank()) {
        message = c.getMessage();
      }
    }
    return message;
  }

  /** The problem type of a wrapped key that does not authenticate, a 400 with its own meaning. */
  static final String UNWRAP_FAILED_TYPE = "urn:ppml:kms:unwrap-failed";

  private static KeyBrokerException problem(int status, JsonNode p, String what) {
    String type = p.path("type").isTextual() ? p.get("type").textValue() : null;
    Optional<KbsErrorType> kbs = KbsErrorType.ofUri(type);
    if (kbs.isPresent()) {
      return kbsError(status, kbs.get(), p, what);
    }
    List<String> violations = new ArrayList<>();
    p.path("violations").forEach(v -> violations.add(v.asText()));
    // Readers turn UNWRAP_FAILED into an integrity failure of the file that named the key.
    Reason reason =
        status == 400 && UNWRAP_FAILED_TYPE.equals(type)
            ? Reason.UNWRAP_FAILED
            : switch (status) {
              case 401, 403 -> Reason.DENIED;
              case 404 -> Reason.KEY_NOT_FOUND;
              case 409 -> Reason.KEY_EXISTS;
              case 400, 405, 413, 415 -> Reason.INVALID_ARGUMENT;
              default -> Reason.UNAVAILABLE;
            };
    String detail = p.path("detail").asText("HTTP " + status);
    return new KeyBrokerException(
        reason,
        status,
        type,
        "key broker refused "
            + what
            + " ("
            + status
            + "): "
            + detail
            + (violations.isEmpty() ? "" : "; " + String.join("; ", violations)),
        violations);
  }

  /**
   * A KBS error body {@code {type, detail}} (Trustee's shape), reported with its variant and detail
   * as sent. Trustee answers nearly every refusal with 401, so the reason comes from the variant,
   * not the status: a resource Trustee's plugin cannot read ({@code PluginInternalError}, which is
   * how it reports a missing resource) is not an attestation denial.
   */
  private static KeyBrokerException kbsError(
      int status, KbsErrorType type, JsonNode p, String what) {
    String detail = p.path("detail").isTextual() ? p.get("detail").textValue() : "";
    if (detail.length() > MAX_DETAIL) {
      detail = detail.substring(0, MAX_DETAIL) + "…";
    }
    Reason reason =
        switch (type) {
          case PolicyDeny, AttestationError, TokenNotFound, TokenVerifierError -> Reason.DENIED;
          case PluginInternalError, PluginNotFound, InvalidRequestPath -> Reason.KEY_NOT_FOUND;
          case JweError -> Reason.UNAVAILABLE;
        };
    String hint =
        type == KbsErrorType.PluginInternalError
            ? " (Trustee reports a resource that does not exist this way)"
            : "";
    return new KeyBrokerException(
        reason,
        status,
        type.uri(),
        "KBS refused " + what + " (" + status + " " + type.name() + "): " + detail + hint,
        List.of());
  }
}
