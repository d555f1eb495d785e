package org.ppml.kmsclient.ehsm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import org.ppml.crypto.json.StrictJsonMapper;

/**
 * The eHSM-KMS actions PPML uses, over {@code java.net.http}: {@code CreateKey}, {@code ListKey},
 * {@code DisableKey}, {@code GenerateDataKey}, {@code GenerateDataKeyWithoutPlaintext}, {@code
 * Decrypt}, {@code UploadQuotePolicy} and {@code VerifyQuote}. Protocol notes and the security
 * caveat are in this package's documentation.
 */
public final class EhsmClient {
  /** Largest response body read; eHSM responses are a few KiB. */
  static final int MAX_RESPONSE_BYTES = 1 << 20;

  private static final ObjectMapper JSON = StrictJsonMapper.create();
  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  /** Result of {@code VerifyQuote}, as eHSM reports it. */
  public record QuoteVerdict(boolean result, String nonce) {}

  private final URI base;
  private final String appId;
  private final EhsmRequestSigner signer;
  private final HttpClient http;
  private final Clock clock;
  private long lastTimestamp;

  /**
   * @param base the server, e.g. {@code https://ehsm.example:9000}
   * @param http a client configured with the TLS trust the deployment needs
   */
  public EhsmClient(URI base, String appId, char[] apiKey, HttpClient http, Clock clock) {
    this.base = Objects.requireNonNull(base);
    this.appId = Objects.requireNonNull(appId);
    this.signer = new EhsmRequestSigner(apiKey);
    this.http = Objects.requireNonNull(http);
    this.clock = Objects.requireNonNull(clock);
  }

  /** Creates an AES-256-GCM customer master key; returns its key id. */
  public String createKey() throws IOException {
    ObjectNode payload =
        JSON.createObjectNode().put("keyspec", "EH_AES_GCM_256").put("origin", "EH_INTERNAL_KEY");
    return text(call("CreateKey", payload), "keyid");
  }

  /** The key list: each element has keyid, keyState (1 enabled) and creationDate. */
  public JsonNode listKeys() throws IOException {
    return call("ListKey", null).path("list");
  }

  public void disableKey(String keyId) throws IOException {
    call("DisableKey", JSON.createObjectNode().put("keyid", keyId));
  }

  /** A data key in plaintext and wrapped: {@code [plaintext, ciphertext]}. */
  public byte[][] generateDataKey(String keyId, int length, byte[] aad) throws IOException {
    JsonNode r = call("GenerateDataKey", dataKeyPayload(keyId, length, aad));
    return new byte[][] {decode(r, "plaintext"), decode(r, "ciphertext")};
  }

  /** A wrapped data key only. */
  public byte[] generateDataKeyWithoutPlaintext(String keyId, int length, byte[] aad)
      throws IOException {
    return decode(
        call("GenerateDataKeyWithoutPlaintext", dataKeyPayload(keyId, length, aad)), "ciphertext");
  }

  /** Unwraps what {@link #generateDataKeyWithoutPlaintext} returned. */
  public byte[] decrypt(String keyId, byte[] ciphertext, byte[] aad) throws IOException {
    ObjectNode payload =
        JSON.createObjectNode()
            .put("keyid", keyId)
            .put("ciphertext", Base64.getEncoder().encodeToString(ciphertext))
            .put("aad", Base64.getEncoder().encodeToString(aad));
    return decode(call("Decrypt", payload), "plaintext");
  }

  /** Registers an MRENCLAVE/MRSIGNER pair; returns the policy id for {@link #verifyQuote}. */
  public String uploadQuotePolicy(String mrEnclaveHex, String mrSignerHex) throws IOException {
    ObjectNode payload =
        JSON.createObjectNode().put("mr_enclave", mrEnclaveHex).put("mr_signer", mrSignerHex);
    return text(call("UploadQuotePolicy", payload), "policyId");
  }

  /**
   * Asks eHSM to verify a quote. eHSM echoes {@code nonce} but does not check that the quote binds
   * it: a verdict says nothing about freshness.
   */
  public QuoteVerdict verifyQuote(byte[] quote, byte[] nonce, String policyId) throws IOException {
    ObjectNode payload =
        JSON.createObjectNode()
            .put("quote", Base64.getEncoder().encodeToString(quote))
            .put("nonce", Base64.getEncoder().encodeToString(nonce));
    if (policyId != null) {
      payload.put("policyId", policyId);
    }
    JsonNode r = call("VerifyQuote", payload);
    return new QuoteVerdict(r.path("result").asBoolean(false), r.path("nonce").asText(""));
  }

  private static ObjectNode dataKeyPayload(String keyId, int length, byte[] aad) {
    return JSON.createObjectNode()
        .put("keyid", keyId)
        .put("keylen", length)
        .put("aad", Base64.getEncoder().encodeToString(aad));
  }

  /**
   * Signs and posts one action; returns its {@code result} object. eHSM refuses a timestamp it has
   * seen from the same app id, and every executor of a job shares one app id, so a collision within
   * a millisecond is retried with a later timestamp.
   */
  JsonNode call(String action, ObjectNode payload) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return callOnce(action, payload);
      } catch (EhsmException e) {
        if (attempt >= 4 || !e.getMessage().contains("can't be repeated")) {
          throw e;
        }
        skipTimestamps(1 + RANDOM.nextInt(50));
      }
    }
  }

  private synchronized void skipTimestamps(int millis) {
    lastTimestamp = Math.max(lastTimestamp, clock.millis()) + millis;
  }

  private JsonNode callOnce(String action, ObjectNode payload) throws IOException {
    ObjectNode params = JSON.createObjectNode();
    params.put("appid", appId);
    if (payload != null) {
      params.set("payload", payload);
    }
    params.put("timestamp", nextTimestamp());
    params.put("sign", signer.sign(params));
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/ehsm?Action=" + action))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(params)))
            .build();
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while calling eHSM " + action, e);
    }
    byte[] body;
    try (InputStream in = response.body()) {
      body = in.readNBytes(MAX_RESPONSE_BYTES + 1);
    }
    if (body.length > MAX_RESPONSE_BYTES) {
      throw new IOException(
          "eHSM " + action + " response is larger than " + MAX_RESPONSE_BYTES + " bytes");
    }
    if (response.statusCode() != 200) {
      throw new EhsmException(
          action, response.statusCode(), "HTTP status " + response.statusCode());
    }
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IOException("eHSM " + action + " returned malformed JSON");
    }
    if (json == null || !json.isObject()) {
      throw new IOException("eHSM " + action + " returned something other than a JSON object");
    }
    int code = json.path("code").asInt(-1);
    if (code != 200) {
      throw new EhsmException(action, code, json.path("message").asText("(no message)"));
    }
    return json.path("result");
  }

  /**
   * The timestamp is also eHSM's replay nonce, and it has millisecond resolution: two calls in the
   * same millisecond would collide, so it is kept strictly increasing.
   */
  private synchronized String nextTimestamp() {
    long now = Math.max(clock.millis(), lastTimestamp + 1);
    lastTimestamp = now;
    return Long.toString(now);
  }

  private static String text(JsonNode result, String field) throws IOException {
    String v = result.path(field).asText("");
    if (v.isEmpty()) {
      throw new IOException("eHSM response lacks '" + field + "'");
    }
    return v;
  }

  private static byte[] decode(JsonNode result, String field) throws IOException {
    try {
      return Base64.getDecoder().decode(text(result, field));
    } catch (IllegalArgumentException e) {
      throw new IOException("eHSM response field '" + field + "' is not base64");
    }
  }

  @Override
  public String toString() {
    return "EhsmClient[" + base + ", appid " + appId + "]";
  }
}
