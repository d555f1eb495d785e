package org.ppml.kms.http;

import java.util.Set;

/**
 * The endpoint a request path names, as a metric label: a fixed template, never the path itself.
 * Paths carry key, resource and key names (which may be sensitive) and whatever a client makes up,
 * so each maps to one of a few dozen templates or to {@code other}.
 */
final class EndpointLabel {
  private static final Set<String> EXACT =
      Set.of(
          "/kbs/v0/auth",
          "/kbs/v0/attest",
          "/ppml/v1/datakey",
          "/ppml/v1/unwrap",
          "/ppml/v1/wrapped-datakey",
          "/admin/v1/keys",
          "/admin/v1/audit",
          "/admin/v1/writer-tokens",
          "/admin/v1/rewrap",
          OpsEndpoints.METRICS,
          OpsEndpoints.HEALTHZ,
          OpsEndpoints.READYZ);
  private static final Set<String> KEY_ACTIONS = Set.of("rotate", "policy", "enable", "disable");
  private static final Set<String> METHODS =
      Set.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");

  private EndpointLabel() {}

  /** The template for {@code path}, or {@code other}. */
  static String of(String path) {
    if (path == null) {
      return "other";
    }
    if (EXACT.contains(path)) {
      return path;
    }
    if (path.startsWith("/kbs/v0/resource/")) {
      return "/kbs/v0/resource/{repo}/{type}/{tag}";
    }
    if (path.startsWith("/admin/v1/resources/")) {
      return "/admin/v1/resources/{repo}/{type}/{tag}";
    }
    if (path.startsWith("/admin/v1/keys/")) {
      String[] p = path.split("/", -1);
      if (p.length == 6 && KEY_ACTIONS.contains(p[5])) {
        return "/admin/v1/keys/{name}/" + p[5];
      }
      return "/admin/v1/keys/{name}/{other}";
    }
    return "other";
  }

  /** The method, or {@code other} for a token no client of ours sends. */
  static String method(String method) {
    return METHODS.contains(method) ? method : "other";
  }
}
