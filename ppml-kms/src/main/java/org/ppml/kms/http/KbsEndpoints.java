package org.ppml.kms.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.ppml.kms.BrokerException;
import org.ppml.kms.BrokerException.Kind;
import org.ppml.kms.attest.AttestationService;
import org.ppml.kms.release.KeyReleaseService;
import org.ppml.kms.store.ResourceStore;
import org.ppml.kms.store.StoreException;

/**
 * The KBS 0.4.0 endpoints: {@code POST /kbs/v0/auth}, {@code POST /kbs/v0/attest} and {@code GET
 * /kbs/v0/resource/<repo>/<type>/<tag>}.
 */
final class KbsEndpoints {
  static final String PREFIX = "/kbs/v0/";
  static final String PROTOCOL_VERSION = "0.4.0";
  static final String SESSION_COOKIE = "kbs-session-id";
  private static final Set<String> TEES =
      Set.of(
          "sgx",
          "tdx",
          "sample",
          "snp",
          "sev",
          "csv",
          "cca",
          "az-snp-vtpm",
          "az-tdx-vtpm",
          "se",
          "hygon-dcu",
          "nvidia-gpu",
          "tpm");
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
    try {
      checkAuthRequest(call.jsonBody(AUTH_BODY));
    } catch (BrokerException e) {
      attestation.recordRefusal("auth", call.peer(), e);
      throw e;
    }
    byte[] raw = new byte[24];
    RANDOM.nextBytes(raw);
    String session = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    String nonce = attestation.challenge(SessionIds.digest(session), call.peer());
    call.addHeader(
        "Set-Cookie",
        SESSION_COOKIE
            + "="
            + session
            + "; Path=/kbs; Secure; HttpOnly; SameSite=Strict; Max-Age=300");
    ObjectNode out = HttpCall.JSON.createObjectNode();
    out.put("nonce", nonce);
    out.putObject("extra-params");
    call.json(200, out);
  }

  private static void checkAuthRequest(JsonNode body) throws BrokerException {
    String version = JsonFields.text(body, "version", 32);
    if (!version.equals(PROTOCOL_VERSION)) {
      throw new BrokerException(
          Kind.BAD_REQUEST,
          "KBS protocol version "
              + version
              + " is not supported; this broker speaks "
              + PROTOCOL_VERSION);
    }
    String tee = JsonFields.text(body, "tee", 32);
    if (!TEES.contains(tee)) {
      throw new BrokerException(Kind.BAD_REQUEST, "unknown tee \"" + tee + "\"");
    }
    JsonNode extra = body.get("extra-params");
    if (extra != null && !(extra.isObject() || extra.isTextual() || extra.isNull())) {
      throw new BrokerException(Kind.BAD_REQUEST, "extra-params must be an object or a string");
    }
  }

  private void attest(HttpCall call) throws BrokerException, StoreException {
    String session = SessionIds.digest(call.cookie(SESSION_COOKIE));
    JsonNode body;
    try {
      body = call.jsonBody(ATTEST_BODY);
    } catch (BrokerException e) {
      attestation.recordRefusal("attest", call.peer(), e);
      throw e;
    }
    // Missing or mistyped fields are the attestation service's to refuse, so they are audited.
    AttestationService.Attested a =
        attestation.attest(
            session, body.get("runtime-data"), body.get("tee-evidence"), call.peer());
    if (session != null) {
      tokens.rememberSession(session, a.jwt());
    }
    ObjectNode out = HttpCall.JSON.createObjectNode();
    out.put("token", a.jwt());
    call.json(200, out);
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
