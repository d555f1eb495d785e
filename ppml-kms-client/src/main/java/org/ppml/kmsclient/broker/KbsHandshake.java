package org.ppml.kmsclient.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.ppml.attestation.evidence.Evidence;
import org.ppml.attestation.evidence.EvidenceException;
import org.ppml.attestation.evidence.EvidenceProvider;
import org.ppml.attestation.quote.TeeType;
import org.ppml.crypto.kms.KmsException.Reason;

/**
 * The client side of the KBS 0.4.0 RCAR handshake ({@code POST /kbs/v0/auth}, then {@code POST
 * /kbs/v0/attest}), with the bodies guest-components v0.14.0 {@code kbs_protocol} sends ({@code
 * rcar_client.rs}) so that Trustee v0.14.0+ and our broker both accept them:
 *
 * <ul>
 *   <li>auth: {@code {"version": "0.4.0", "tee": T, "extra-params": {"supported-hash-algorithms":
 *       ["sha256", "sha384", "sha512"]}}};
 *   <li>the challenge's {@code extra-params} may be {@code ""} (Trustee), an object, or absent; an
 *       object may name a {@code selected-hash-algorithm}, else SHA-384 is used;
 *   <li>attest: {@code {"init-data": null, "runtime-data": {"nonce": N, "tee-pubkey": JWK},
 *       "tee-evidence": {"primary_evidence": {"quote": <standard base64>}, "additional_evidence":
 *       ""}}}, with REPORT_DATA from {@link RuntimeDataBinding#kbs}.
 * </ul>
 */
final class KbsHandshake {
  static final String PROTOCOL_VERSION = "0.4.0";
  static final String SESSION_COOKIE = "kbs-session-id";
  private static final ObjectMapper JSON = BrokerHttp.JSON;
  private static final int MAX_NONCE = 1024;

  /** A finished handshake: the token and the session cookie it belongs to (null if none). */
  record Attested(String token, String session) {
    @Override
    public String toString() {
      return "KbsHandshake.Attested";
    }
  }

  private final BrokerHttp http;
  private final EvidenceProvider evidence;
  private final JsonNode teePubkey;

  /**
   * @param teePubkey the public JWK exactly as sent and hashed
   */
  KbsHandshake(BrokerHttp http, EvidenceProvider evidence, JsonNode teePubkey) {
    this.http = http;
    this.evidence = evidence;
    this.teePubkey = teePubkey;
  }

  /** The {@code tee} this client claims: {@code tdx} for the TDX provider, else {@code sgx}. */
  KbsTee tee() {
    return evidence.name().equals("tdx") ? KbsTee.TDX : KbsTee.SGX;
  }

  /** The auth body. */
  ObjectNode authBody() {
    ObjectNode body = JSON.createObjectNode();
    body.put("version", PROTOCOL_VERSION);
    body.put("tee", tee().wireName());
    body.putObject("extra-params")
        .putArray("supported-hash-algorithms")
        .add("sha256")
        .add("sha384")
        .add("sha512");
    return body;
  }

  Attested run() throws KeyBrokerException {
    BrokerHttp.Response auth = http.send("POST", "/kbs/v0/auth", null, null, authBody());
    JsonNode nonceNode = auth.body().get("nonce");
    if (nonceNode == null || !nonceNode.isTextual() || nonceNode.textValue().length() > MAX_NONCE) {
      throw unusable(auth.status(), "the KBS's auth answer has no nonce string");
    }
    String nonce = nonceNode.textValue();
    String session = auth.cookie(SESSION_COOKIE);
    if (session == null) {
      throw unusable(auth.status(), "the KBS's auth answer sets no kbs-session-id cookie");
    }
    String digest = selectedDigest(auth.body().get("extra-params"));

    byte[] reportData = RuntimeDataBinding.kbs(nonce, teePubkey, "", digest);
    Evidence e;
    try {
      e = evidence.evidence(reportData);
    } catch (EvidenceException x) {
      throw new KeyBrokerException(
          Reason.UNAVAILABLE, "cannot produce evidence: " + x.getMessage(), x);
    }
    TeeType expected = tee() == KbsTee.TDX ? TeeType.TDX : TeeType.SGX;
    if (e.teeType() != expected) {
      throw new KeyBrokerException(
          Reason.INVALID_ARGUMENT,
          0,
          null,
          "the evidence provider "
              + evidence.name()
              + " produced a "
              + e.teeType()
              + " quote, but the session claims tee "
              + tee().wireName(),
          List.of());
    }
    BrokerHttp.Response attest =
        http.send(
            "POST",
            "/kbs/v0/attest",
            null,
            SESSION_COOKIE + "=" + session,
            attestBody(nonce, e.quote()));
    JsonNode token = attest.body().get("token");
    if (token == null || !token.isTextual()) {
      throw unusable(attest.status(), "the KBS's attest answer has no token");
    }
    String renewed = attest.cookie(SESSION_COOKIE);
    return new Attested(token.textValue(), renewed != null ? renewed : session);
  }

  /** The attest body for {@code nonce} and {@code quote}. */
  ObjectNode attestBody(String nonce, byte[] quote) {
    ObjectNode body = JSON.createObjectNode();
    body.putNull("init-data");
    ObjectNode runtimeData = body.putObject("runtime-data");
    runtimeData.put("nonce", nonce);
    runtimeData.set("tee-pubkey", teePubkey);
    ObjectNode composite = body.putObject("tee-evidence");
    composite.putObject("primary_evidence").put("quote", Base64.getEncoder().encodeToString(quote));
    composite.put("additional_evidence", "");
    return body;
  }

  /** The JCA digest a challenge's extra-params select: SHA-384 unless it names another. */
  static String selectedDigest(JsonNode extraParams) throws KeyBrokerException {
    JsonNode selected = extraParams == null ? null : extraParams.get("selected-hash-algorithm");
    if (selected == null || selected.isNull()) {
      return "SHA-384";
    }
    String name = selected.isTextual() ? selected.textValue().toLowerCase(Locale.ROOT) : "";
    return switch (name.replace("-", "")) {
      case "sha256" -> "SHA-256";
      case "sha384" -> "SHA-384";
      case "sha512" -> "SHA-512";
      default ->
          throw new KeyBrokerException(
              Reason.UNAVAILABLE,
              200,
              null,
              "the KBS selected the hash algorithm "
                  + selected
                  + "; this client offers sha256, sha384 and sha512",
              List.of());
    };
  }

  private static KeyBrokerException unusable(int status, String message) {
    return new KeyBrokerException(Reason.UNAVAILABLE, status, null, message, List.of());
  }
}
