package org.ppml.kmsclient.broker;

import java.util.Optional;

/**
 * The error variants a KBS reports on {@code /kbs/v0/*}, as Trustee does: a body {@code {"type":
 * "https://github.com/confidential-containers/kbs/errors/<Variant>", "detail": "…"}} with status
 * 404 for a bad path or an unknown plugin and 401 for everything else (Trustee v0.14.0 {@code
 * kbs/src/error.rs}, {@code ResponseError for Error}; unchanged through v0.21.0). The variants here
 * are the ones a KBS client meets on auth, attest and resource requests; the names are Trustee's.
 */
public enum KbsErrorType {
  /** Auth or attest refused: bad request, version mismatch, evidence that does not verify. */
  AttestationError(401),
  /** The path is not a KBS path. */
  InvalidRequestPath(404),
  /** No such plugin (the first path segment after {@code /kbs/v0/}). */
  PluginNotFound(404),
  /**
   * The plugin failed. Trustee's resource plugin answers a resource that does not exist this way,
   * with the detail "Plugin internal error".
   */
  PluginInternalError(401),
  /** The resource policy refused the attested claims. */
  PolicyDeny(401),
  /** No attestation token: no attested session cookie and no bearer token. */
  TokenNotFound(401),
  /** The attestation token does not verify (expired, forged, another KBS's). */
  TokenVerifierError(401),
  /** The resource could not be encrypted to the TEE key. */
  JweError(401);

  /** What every type URI starts with. */
  public static final String PREFIX = "https://github.com/confidential-containers/kbs/errors/";

  private final int status;

  KbsErrorType(int status) {
    this.status = status;
  }

  /** The HTTP status Trustee sends with it. */
  public int status() {
    return status;
  }

  /** The type URI. */
  public String uri() {
    return PREFIX + name();
  }

  /** The variant a type URI names, if it is one of these. */
  public static Optional<KbsErrorType> ofUri(String uri) {
    if (uri == null || !uri.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String name = uri.substring(PREFIX.length());
    for (KbsErrorType t : values()) {
      if (t.name().equals(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
