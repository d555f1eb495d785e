package org.ppml.kms.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.ppml.crypto.json.StrictJsonMapper;
import org.ppml.kms.BrokerException;
import org.ppml.kms.BrokerException.Kind;

/**
 * One HTTP request and its response: bounded body reading, strict JSON parsing, JSON and RFC 7807
 * problem responses. Untrusted input never reaches a parser unbounded: the body is capped before it
 * is read, and the JSON parser limits nesting, string length and duplicate keys.
 */
final class HttpCall {
  static final ObjectMapper JSON = StrictJsonMapper.create(32, 2 << 20);

  private static final long DRAIN = 1 << 20;

  private final Request request;
  private final Response response;
  private final Callback callback;
  private final String path;
  private boolean responded;
  private int status;
  private boolean bodyConsumed;

  HttpCall(Request request, Response response, Callback callback) {
    this.request = request;
    this.response = response;
    this.callback = callback;
    this.path = Request.getPathInContext(request);
  }

  String method() {
    return request.getMethod();
  }

  String path() {
    return path;
  }

  String peer() {
    return Request.getRemoteAddr(request) + ":" + Request.getRemotePort(request);
  }

  String header(String name) {
    return request.getHeaders().get(name);
  }

  String queryParameter(String name) {
    var fields = Request.extractQueryParameters(request);
    return fields.getValue(name);
  }

  /** The bearer token of the Authorization header, or null. */
  String bearerToken() {
    String h = header(HttpHeader.AUTHORIZATION.asString());
    if (h == null || h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return h.substring(7).trim();
  }

  /** The value of cookie {@code name}, or null. */
  String cookie(String name) {
    String h = header(HttpHeader.COOKIE.asString());
    if (h == null || h.length() > 8192) {
      return null;
    }
    for (String part : h.split(";")) {
      int eq = part.indexOf('=');
      if (eq > 0 && part.substring(0, eq).trim().equals(name)) {
        return part.substring(eq + 1).trim();
      }
    }
    return null;
  }

  void setHeader(String name, String value) {
    response.getHeaders().put(name, value);
  }

  void addHeader(String name, String value) {
    response.getHeaders().add(name, value);
  }

  /** The body, at most {@code limit} bytes, required to be {@code application/json}. */
  JsonNode jsonBody(int limit) throws BrokerException {
    String type = header(HttpHeader.CONTENT_TYPE.asString());
    String mime = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!mime.equals("application/json")) {
      throw new BrokerException(Kind.UNSUPPORTED_MEDIA_TYPE, "the body must be application/json");
    }
    byte[] body = body(limit);
    try {
      JsonNode n = JSON.readTree(body);
      if (n == null || !n.isObject()) {
        throw new BrokerException(Kind.BAD_REQUEST, "the body must be a JSON object");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new BrokerException(
          Kind.BAD_REQUEST,
          "the body is not valid JSON"
              + (e.getLocation() != null
                  ? " (at offset " + e.getLocation().getCharOffset() + ")"
                  : ""));
    } catch (IOException e) {
      throw new BrokerException(Kind.BAD_REQUEST, "the body could not be read");
    }
  }

  /** The raw body, at most {@code limit} bytes. */
  byte[] body(int limit) throws BrokerException {
    bodyConsumed = true;
    long declared = request.getLength();
    byte[] buf = new byte[(int) Math.min(limit + 1L, declared >= 0 ? declared + 1 : 8192)];
    int n = 0;
    try (InputStream in = Content.Source.asInputStream(request)) {
      if (declared > limit) {
        throw tooLarge(in, limit);
      }
      while (true) {
        if (n == buf.length) {
          if (buf.length > limit) {
            throw tooLarge(in, limit);
          }
          buf = Arrays.copyOf(buf, (int) Math.min(limit + 1L, buf.length * 2L));
        }
        int r = in.read(buf, n, buf.length - n);
        if (r < 0) {
          break;
        }
        n += r;
      }
    } catch (IOException e) {
      throw new BrokerException(Kind.BAD_REQUEST, "the body could not be read");
    }
    if (n > limit) {
      throw new BrokerException(Kind.TOO_LARGE, "the body is larger than " + limit + " bytes");
    }
    return Arrays.copyOf(buf, n);
  }

  // Reading (and discarding) a moderately oversized body lets the client finish sending and see
  // the 413; closing on it mid-upload would reset the connection and lose the response. Beyond
  // DRAIN bytes the connection is simply dropped: nobody is owed that much patience.
  private static BrokerException tooLarge(InputStream in, int limit) {
    drain(in);
    return new BrokerException(Kind.TOO_LARGE, "the body is larger than " + limit + " bytes");
  }

  /**
   * Reads and discards up to {@link #DRAIN} bytes of {@code in}.
   *
   * @return whether the body ended within that bound (false also when the client went away)
   */
  private static boolean drain(InputStream in) {
    byte[] sink = new byte[8192];
    long drained = 0;
    try {
      int r;
      while ((r = in.read(sink)) >= 0) {
        drained += r;
        if (drained > DRAIN) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  // A request refused before its body was read (a bad token, an unknown path) still has that body
  // on the wire. Left there, Jetty may close the connection after the response, and a client that
  // already reused the pooled connection for its next POST loses that request. Reading it here
  // keeps the connection usable; past DRAIN bytes the connection is closed instead.
  private void discardUnreadBody() {
    if (bodyConsumed || request.getLength() == 0) {
      return;
    }
    bodyConsumed = true;
    boolean ended;
    try (InputStream in = Content.Source.asInputStream(request)) {
      ended = drain(in);
    } catch (IOException e) {
      ended = false;
    }
    if (!ended) {
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
  }

  /** Sends {@code body} as JSON with {@code status}. */
  void json(int status, Object body) {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("response not serialisable", e);
    }
    send(status, "application/json", bytes);
  }

  /** Sends an RFC 7807 problem for {@code e}. */
  void problem(BrokerException e) {
    ObjectNode p = JSON.createObjectNode();
    p.put("type", e.kind().type());
    p.put("title", e.kind().title());
    p.put("status", e.kind().status());
    p.put("detail", e.getMessage());
    p.put("instance", path);
    if (!e.violations().isEmpty()) {
      var a = p.putArray("violations");
      e.violations().forEach(a::add);
    }
    if (e.kind() == Kind.UNAUTHORIZED || e.kind() == Kind.NOT_ATTESTED) {
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
    }
    if (e.kind() == Kind.TOO_LARGE) {
      // The body may not have been read to its end, so this connection cannot carry another
      // request; saying so keeps a client from reusing it and losing its next request.
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
    try {
      send(e.kind().status(), "application/problem+json", JSON.writeValueAsBytes(p));
    } catch (JsonProcessingException x) {
      throw new IllegalStateException(x);
    }
  }

  /**
   * Sends a KBS error body {@code {"type", "detail"}} (Trustee's shape, see {@link KbsErrors}).
   *
   * @param bearerChallenge whether to ask for a bearer token (RFC 6750) with the 401
   */
  void kbsError(int status, String type, String detail, boolean bearerChallenge) {
    ObjectNode p = JSON.createObjectNode();
    p.put("type", type);
    p.put("detail", detail);
    if (bearerChallenge) {
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
    }
    if (status == Kind.TOO_LARGE.status()) {
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
    try {
      send(status, "application/json", JSON.writeValueAsBytes(p));
    } catch (JsonProcessingException x) {
      throw new IllegalStateException(x);
    }
  }

  boolean responded() {
    return responded;
  }

  /** The status sent, or 0 before a response. */
  int status() {
    return status;
  }

  /** Sends {@code bytes} as {@code type} with {@code status}. */
  void send(int status, String type, byte[] bytes) {
    responded = true;
    this.status = status;
    discardUnreadBody();
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }
}
