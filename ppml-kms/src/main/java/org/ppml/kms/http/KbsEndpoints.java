package org.ppml.kms.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Pattern;
import org.ppml.kms.BrokerException;
import org.ppml.kms.BrokerException.Kind;
import org.ppml.kms.attest.AttestationService;
import org.ppml.kms.release.KeyReleaseService;
import org.ppml.kms.store.ResourceStore;
import org.ppml.kms.store.StoreException;

/**
 * The KBS 0.4.0 endpoints: {@code POST /kbs/v0/auth}, {@code POST /kbs/v0/attest} and {@code GET
 * /kbs/v0/resource/<repo>/<type>/<tag>}, with the bodies Trustee v0.14.0+ accepts and answers and
 * guest-components v0.14.0 {@code kbs_protocol} sends (see {@link
 * org.ppml.kms.attest.AttestRequest}); refusals are answered by {@link KbsErrors}.
 */
final class KbsEndpoints {
  static final String PREFIX = "/kbs/v0/";
  static final String PROTOCOL_VERSION = "0.4.0";
  static final String SESSION_COOKIE = "kbs-session-id";
  // The tee name travels in the session cookie (see auth), so it is limited to what a cookie
  // value and a kbs-types name can hold; whether it is a name this broker verifies is decided at
  // attest.
  private static final Pattern TEE_NAME = Pattern.compile("[a-z0-9_-]{1,32}");
  private static final Set<String> AUTH_MEMBERS = Set.of("version", "tee", "extra-params");
  private static final int AUTH_BODY = 16 * 1024;
  private static final int ATTEST_BODY = 2 << 20;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final AttestationService attestation;
  private final KeyReleaseService release;
  private final BearerTokens tokens;

  KbsEndpoints(AttestationService attestation, KeyReleaseService release, BearerTokens tokens) {
    this.attestation = attestation;
    this.release = release;
    this.tokens = tokens;
  }

  void handle(HttpCall call) throws BrokerException, StoreException {
    String rest = call.path().substring(PREFIX.length());
    if (rest.equals("auth")) {
      requireMethod(call, "POST");
      auth(call);
    } else if (rest.equals("attest")) {
      requireMethod(call, "POST");
      attest(call);
    } else if (rest.startsWith("resource/")) {
      requireMethod(call, "GET");
      resource(call, rest.substring("resource/".length()));
    } else {
      throw new BrokerException(Kind.NOT_FOUND, "no KBS endpoint " + call.path());
    }
  }

  private void auth(HttpCall call) throws BrokerException, StoreException {
    String tee;
    try {
      tee = checkAuthRequest(call.jsonBody(AUTH_BODY));
    } catch (BrokerException e) {
      attestation.recordRefusal("auth", call.peer(), e);
      throw e;
    }
    byte[] raw = new byte[24];
    RANDOM.nextBytes(raw);
    // The session cookie carries the tee named here: only its digest is stored with the nonce, so
    // a client cannot change the tee between auth and attest without losing its nonce, and the
    // store keeps no extra field.
    String session = Base64.getUrlEncoder().withoutPadding().encodeToString(raw) + "." + tee;
    String nonce = attestation.challenge(SessionIds.digest(session), call.peer());
    call.addHeader(
        "Set-Cookie",
        SESSION_COOKIE
            + "="
            + session
            + "; Path=/kbs; Secure; HttpOnly; SameSite=Strict; Max-Age=300");
    ObjectNode out = HttpCall.JSON.createObjectNode();
    out.put("nonce", nonce);
    // As Trustee v0.14.0 answers: no selected-hash-algorithm, so clients use SHA-384.
    out.put("extra-params", "");
    call.json(200, out);
  }

  /** Checks a KBS 0.4.0 auth body and returns its tee name. */
  private static String checkAuthRequest(JsonNode body) throws BrokerException {
    for (var it = body.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!AUTH_MEMBERS.contains(name)) {
        throw new BrokerException(
            Kind.BAD_REQUEST,
            "the auth body has a member KBS "
                + PROTOCOL_VERSION
                + " does not define; expected {\"version\", \"tee\", \"extra-params\"}");
      }
    }
    String version = JsonFields.text(body, "version", 32);
    if (!version.equals(PROTOCOL_VERSION)) {
      throw new BrokerException(
          Kind.BAD_REQUEST,
          "KBS Client Protocol Version Mismatch: this broker speaks "
              + PROTOCOL_VERSION
              + " and the request is "
              + version);
    }
    String tee = JsonFields.text(body, "tee", 32);
    if (!TEE_NAME.matcher(tee).matches()) {
      throw new BrokerException(
          Kind.BAD_REQUEST, "tee must be a kbs-types TEE name such as sgx or tdx");
    }
    JsonNode extra = body.get("extra-params");
    if (extra == null || !(extra.isObject() || extra.isTextual())) {
      throw new BrokerException(
          Kind.BAD_REQUEST,
          "extra-params is required in KBS "
              + PROTOCOL_VERSION
              + " auth: an object such as {\"supported-hash-algorithms\": [\"sha384\"]}, or \"\"");
    }
    JsonNode algorithms = extra.get("supported-hash-algorithms");
    if (algorithms != null) {
      boolean sha384 = false;
      if (algorithms.isArray() && algorithms.size() <= 16) {
        for (JsonNode a : algorithms) {
          sha384 |= a.isTextual() && a.textValue().equalsIgnoreCase("sha384");
        }
      }
      if (!sha384) {
        throw new BrokerException(
            Kind.BAD_REQUEST,
            "extra-params.supported-hash-algorithms must list sha384, the only runtime-data hash"
                + " this broker verifies");
      }
    }
    return tee;
  }

  private void attest(HttpCall call) throws BrokerException, StoreException {
    String cookie = call.cookie(SESSION_COOKIE);
    String session = SessionIds.digest(cookie);
    JsonNode body;
    try {
      body = call.jsonBody(ATTEST_BODY);
    } catch (BrokerException e) {
      attestation.recordRefusal("attest", call.peer(), e);
      throw e;
    }
    // Missing or mistyped fields are the attestation service's to refuse, so they are audited.
    AttestationService.Attested a = attestation.attest(session, teeOf(cookie), body, call.peer());
    if (session != null) {
      tokens.rememberSession(session, a.jwt());
    }
    ObjectNode out = HttpCall.JSON.createObjectNode();
    out.put("token", a.jwt());
    call.json(200, out);
  }

  /** The tee name auth put into the session cookie, or null. */
  private static String teeOf(String cookie) {
    int dot = cookie == null ? -1 : cookie.lastIndexOf('.');
    return dot < 0 ? null : cookie.substring(dot + 1);
  }

  private void resource(HttpCall call, String path) throws BrokerException, StoreException {
    String[] parts = path.split("/", -1);
    if (parts.length != 3 || !ResourceStore.validPath(parts[0], parts[1], parts[2])) {
      throw new BrokerException(Kind.NOT_FOUND, "resource path must be <repo>/<type>/<tag>");
    }
    var token = tokens.attested(call, SessionIds.digest(call.cookie(SESSION_COOKIE)));
    call.json(200, release.resource(token, path, call.peer()));
  }

  static void requireMethod(HttpCall call, String method) throws BrokerException {
    if (!call.method().equals(method)) {
      call.setHeader("Allow", method);
      throw new BrokerException(Kind.METHOD_NOT_ALLOWED, call.path() + " takes " + method);
    }
  }
}
