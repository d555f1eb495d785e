package org.ppml.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * A bare HTTP client for protocol tests, written from the KBS 0.4.0 description rather than from
 * our client classes: it sends exactly the bytes a test gives it.
 */
final class RawKbs {
  static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http;

  /** A response: status, content type and body. */
  record Reply(int status, String contentType, String body, String setCookie) {
    JsonNode json() throws Exception {
      return JSON.readTree(body);
    }

    /** The session id from Set-Cookie. */
    String session() {
      return setCookie == null ? null : setCookie.split(";", 2)[0].split("=", 2)[1];
    }
  }

  RawKbs(URI base, SSLContext tls) {
    this.base = base;
    this.http =
        HttpClient.newBuilder()
            .sslContext(tls)
            .connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  Reply send(String method, String path, String contentType, byte[] body, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(
        r.statusCode(),
        r.headers().firstValue("content-type").orElse(null),
        r.body(),
        r.headers().firstValue("set-cookie").orElse(null));
  }

  Reply postJson(String path, String json, String... headers) throws Exception {
    return send(
        "POST",
        path,
        "application/json",
        json.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        headers);
  }

  Reply auth() throws Exception {
    return postJson("/kbs/v0/auth", "{\"version\":\"0.4.0\",\"tee\":\"sgx\",\"extra-params\":{}}");
  }
}
