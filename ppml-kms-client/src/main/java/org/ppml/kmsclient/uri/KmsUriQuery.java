package org.ppml.kmsclient.uri;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.KmsException.Reason;

/**
 * The decoded query of a KMS URI, limited to the parameter names its backend accepts. Any other
 * name is refused rather than ignored: a misspelt pin or policy id would otherwise silently turn
 * into an unpinned connection or a backend that does not attest.
 */
public final class KmsUriQuery {
  private final Map<String, String> values;

  private KmsUriQuery(Map<String, String> values) {
    this.values = values;
  }

  /**
   * Parses a raw (still percent-encoded) query.
   *
   * @param raw the query without {@code ?}, or null when the URI has none
   * @param scheme the URI scheme, for messages
   * @param known every parameter name the backend accepts
   * @throws KmsException with {@code INVALID_ARGUMENT} naming an unknown or conflicting parameter
   */
  public static KmsUriQuery parse(String raw, String scheme, Set<String> known)
      throws KmsException {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return new KmsUriQuery(out);
    }
    for (String part : raw.split("&")) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
      if (!known.contains(k)) {
        throw new KmsException(
            Reason.INVALID_ARGUMENT,
            "unknown " + scheme + " parameter '" + k + "'; known: " + new TreeSet<>(known));
      }
      // Spark appends its settings to the configured URL, so a repeat is normal; two different
      // pins or providers are not, and neither may silently win.
      String before = out.put(k, v);
      if (before != null && !before.equals(v)) {
        throw new KmsException(
            Reason.INVALID_ARGUMENT,
            scheme + " parameter '" + k + "' is given twice with different values");
      }
    }
    return new KmsUriQuery(out);
  }

  /** The decoded value of {@code name}, or null when absent. */
  public String get(String name) {
    return values.get(name);
  }

  /** Whether {@code name} is present, even with an empty value. */
  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** Names only: values may be paths a reader of logs has no business seeing. */
  @Override
  public String toString() {
    return "KmsUriQuery" + new TreeSet<>(values.keySet());
  }
}
