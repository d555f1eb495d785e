package org.ppml.kmsclient.ehsm;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * eHSM's request signature: {@code base64(HMAC-SHA256(apiKey, canonical(params)))}.
 *
 * <p>The canonical string follows eHSM's own {@code params_sort_str}: keys in ASCII order, {@code
 * key=value} joined by {@code &}, objects rendered recursively in place of their value, and every
 * value that JavaScript's loose {@code != ''} treats as empty skipped: empty strings, null, {@code
 * 0} and {@code false}. Skipping {@code 0} and {@code false} looks odd, but a signature that
 * disagrees with the server's is rejected, so the quirk is reproduced exactly.
 */
public final class EhsmRequestSigner {
  private final byte[] apiKey;

  /**
   * @param apiKey the API key eHSM issued with the app id; kept only inside this object
   */
  public EhsmRequestSigner(char[] apiKey) {
    this.apiKey = new String(apiKey).getBytes(StandardCharsets.UTF_8);
  }

  /** The signature over {@code params} (an object holding appid, timestamp and payload). */
  public String sign(JsonNode params) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(apiKey, "HmacSHA256"));
      return Base64.getEncoder()
          .encodeToString(mac.doFinal(canonical(params).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** The string that is signed. */
  public static String canonical(JsonNode object) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    names.sort(null);
    StringBuilder out = new StringBuilder();
    for (String name : names) {
      JsonNode value = object.get(name);
      if (isLooselyEmpty(value)) {
        continue;
      }
      if (out.length() > 0) {
        out.append('&');
      }
      out.append(name).append('=').append(value.isObject() ? canonical(value) : value.asText());
    }
    return out.toString();
  }

  private static boolean isLooselyEmpty(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return true;
    }
    if (value.isTextual()) {
      return value.textValue().isEmpty();
    }
    if (value.isNumber()) {
      return value.doubleValue() == 0;
    }
    if (value.isBoolean()) {
      return !value.booleanValue();
    }
    return false;
  }

  @Override
  public String toString() {
    return "EhsmRequestSigner[api key redacted]";
  }
}
