package org.ppml.kms.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.EnumSet;
import org.ppml.crypto.kms.local.LocalKeyWrap;
import org.ppml.kms.BrokerException;
import org.ppml.kms.BrokerException.Kind;
import org.ppml.kms.attest.TeePublicKey;
import org.ppml.kms.cache.TextKeyedCache;
import org.ppml.kms.release.KeyReleaseService;
import org.ppml.kms.store.ApiTokenStore;
import org.ppml.kms.store.StoreException;
import org.ppml.kms.token.AttestationToken;

/**
 * The PPML extension: {@code POST /ppml/v1/datakey}, {@code /unwrap} and {@code /wrapped-datakey},
 * authenticated by an attestation token (or, for wrapped-datakey only, a writer token; an admin
 * token is refused there). Datakey and unwrap may name the {@code tee-pubkey} the caller expects;
 * one that is not the token's is a 403.
 */
final class PpmlEndpoints {
  static final String PREFIX = "/ppml/v1/";
  private static final int BODY = 16 * 1024;

  private final KeyReleaseService release;
  private final BearerTokens tokens;
  private final TextKeyedCache<TeePublicKey> presentedKeys = new TextKeyedCache<>(10_000);

  PpmlEndpoints(KeyReleaseService release, BearerTokens tokens) {
    this.release = release;
    this.tokens = tokens;
  }

  void handle(HttpCall call) throws BrokerException, StoreException {
    String rest = call.path().substring(PREFIX.length());
    switch (rest) {
      case "datakey" -> {
        KbsEndpoints.requireMethod(call, "POST");
        dataKey(call);
      }
      case "unwrap" -> {
        KbsEndpoints.requireMethod(call, "POST");
        unwrap(call);
      }
      case "wrapped-datakey" -> {
        KbsEndpoints.requireMethod(call, "POST");
        wrappedDataKey(call);
      }
      default -> throw new BrokerException(Kind.NOT_FOUND, "no PPML endpoint " + call.path());
    }
  }

  private void dataKey(HttpCall call) throws BrokerException, StoreException {
    AttestationToken token = tokens.attested(call, null);
    JsonNode body = call.jsonBody(BODY);
    String keyName = JsonFields.text(body, "keyName", 128);
    KeyReleaseService.ReleasedDataKey k =
        release.dataKey(token, keyName, presentedTeeKey(body), call.peer());
    ObjectNode out = HttpCall.JSON.createObjectNode();
    out.put("keyName", k.keyName());
    out.put("keyVersion", k.keyVersion());
    out.put("wrappedKey", Base64.getEncoder().encodeToString(k.wrappedKey()));
    out.set("jwe", HttpCall.JSON.valueToTree(k.jwe()));
    call.json(200, out);
  }

  private void unwrap(HttpCall call) throws BrokerException, StoreException {
    AttestationToken token = tokens.attested(call, null);
    JsonNode body = call.jsonBody(BODY);
    String keyName = JsonFields.text(body, "keyName", 128);
    int keyVersion = JsonFields.integer(body, "keyVersion", 1, Integer.MAX_VALUE);
    byte[] wrapped = JsonFields.base64(body, "wrappedKey", 4 * LocalKeyWrap.WRAPPED_LENGTH);
    ObjectNode out = HttpCall.JSON.createObjectNode();
    out.set(
        "jwe",
        HttpCall.JSON.valueToTree(
            release.unwrap(
                token, keyName, keyVersion, wrapped, presentedTeeKey(body), call.peer())));
    call.json(200, out);
  }

  /** The thumbprint of an optional {@code tee-pubkey} in the body, or null when absent. */
  private String presentedTeeKey(JsonNode body) throws BrokerException {
    JsonNode key = body.get("tee-pubkey");
    if (key == null || key.isNull()) {
      return null;
    }
    if (!key.isObject()) {
      return TeePublicKey.parse(key).thumbprint();
    }
    // A client names the same key on every release; checking its point is on the curve and
    // hashing its thumbprint once per key, not per request, is a visible share of an unwrap.
    return presentedKeys.get(key.toString(), TeePublicKey::parseObject).thumbprint();
  }

  private void wrappedDataKey(HttpCall call) throws BrokerException, StoreException {
    KeyReleaseService.WrappedDataKey k;
    if (BearerTokens.looksLikeApiToken(call)) {
      // Writer tokens only: an admin token can manage every key, and one leaked from a Spark
      // driver's configuration would be worth far more than the wrapped keys it needs. Refused
      // like any other wrong credential, with a 401 and an audit record (step "role").
      tokens.apiRole(call, EnumSet.of(ApiTokenStore.Role.WRITER));
      JsonNode body = call.jsonBody(BODY);
      String keyName = JsonFields.text(body, "keyName", 128);
      k = release.wrappedDataKey(null, "writer token", keyName, call.peer());
    } else {
      AttestationToken token = tokens.attested(call, null);
      JsonNode body = call.jsonBody(BODY);
      String keyName = JsonFields.text(body, "keyName", 128);
      k = release.wrappedDataKey(token.claims(), "token " + token.id(), keyName, call.peer());
    }
    ObjectNode out = HttpCall.JSON.createObjectNode();
    out.put("keyName", k.keyName());
    out.put("keyVersion", k.keyVersion());
    out.put("wrappedKey", Base64.getEncoder().encodeToString(k.wrappedKey()));
    call.json(200, out);
  }
}
