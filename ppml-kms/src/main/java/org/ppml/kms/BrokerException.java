package org.ppml.kms;

import java.util.List;

/**
 * A request the broker refuses, with the HTTP status and RFC 7807 problem type it maps to. The
 * message is safe to send to the client: it never holds key material or internal detail.
 */
public final class BrokerException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The kinds of refusal, each with its status and problem type. */
  public enum Kind {
    /** Malformed request: bad JSON, wrong types, unknown version. */
    BAD_REQUEST(400, "bad-request", "Bad request"),
    /**
     * A wrapped key that does not authenticate under the key and version it names: a tampered
     * header, or another key's data key. Its own type lets clients report it as an integrity
     * failure of the file rather than a malformed request.
     */
    UNWRAP_FAILED(400, "unwrap-failed", "Wrapped key does not authenticate"),
    /**
     * No valid attestation token: none, forged, expired, or from another broker key. The caller
     * attests (again) and retries, as RFC 6750 has clients do on 401.
     */
    NOT_ATTESTED(401, "not-attested", "Not attested"),
    /**
     * Evidence that was examined and refused: a replayed or unknown nonce, a quote that does not
     * verify, REPORT_DATA that does not bind the runtime data. Attesting again with the same
     * evidence cannot succeed, so it is a denial, not a request to authenticate.
     */
    ATTESTATION_DENIED(403, "attestation-denied", "Attestation denied"),
    /** No valid admin or writer token. */
    UNAUTHORIZED(401, "unauthorized", "Unauthorized"),
    /** The key's policy does not hold for the attested claims, or the key is disabled. */
    DENIED(403, "policy-denied", "Release denied"),
    /** No such key, version or resource. */
    UNKNOWN_KEY(404, "unknown-key", "Unknown key"),
    /** No such endpoint. */
    NOT_FOUND(404, "not-found", "Not found"),
    /** Wrong HTTP method for the endpoint. */
    METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
    /** The key already exists. */
    CONFLICT(409, "conflict", "Conflict"),
    /** The body is larger than the endpoint accepts. */
    TOO_LARGE(413, "payload-too-large", "Payload too large"),
    /** The body is not {@code application/json}. */
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
    /** The broker failed; details are in its log, not in the response. */
    INTERNAL(500, "internal", "Internal error");

    private final int status;
    private final String type;
    private final String title;

    Kind(int status, String type, String title) {
      this.status = status;
      this.type = type;
      this.title = title;
    }

    public int status() {
      return status;
    }

    /** The problem type URI, relative to the broker. */
    public String type() {
      return "urn:ppml:kms:" + type;
    }

    public String title() {
      return title;
    }
  }

  private final Kind kind;
  private final List<String> violations;

  public BrokerException(Kind kind, String message) {
    this(kind, message, List.of());
  }

  public BrokerException(Kind kind, String message, List<String> violations) {
    super(message);
    this.kind = kind;
    this.violations = List.copyOf(violations);
  }

  public Kind kind() {
    return kind;
  }

  /** Policy violations or failure reasons, one per entry; empty when there are none. */
  public List<String> violations() {
    return violations;
  }
}
