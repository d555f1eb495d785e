package org.ppml.kms.http;

import org.ppml.kms.BrokerException;
import org.ppml.kmsclient.broker.KbsErrorType;

/**
 * Refusals on {@code /kbs/v0/*} in Trustee's shape, so a KBS client (the reference client first)
 * behaves against this broker as against Trustee v0.14.0+: the body is {@code {"type":
 * "https://github.com/confidential-containers/kbs/errors/<Variant>", "detail": "…"}} and the status
 * is 404 for a bad path or an unknown endpoint ("plugin") and 401 for every other refusal, a policy
 * denial and a missing resource included ({@code kbs/src/error.rs}). The reference client
 * re-handshakes on 401, reports 404 as not found and anything else as an internal error. Transport
 * refusals Trustee leaves to its HTTP framework (413, 415) and this broker's own failures (500)
 * keep their status and carry the broker's type URI in the same two-member body.
 */
final class KbsErrors {
  private KbsErrors() {}

  /** Sends {@code e}, refused on the KBS endpoint of {@code call}, as Trustee would. */
  static void respond(HttpCall call, BrokerException e) {
    switch (e.kind()) {
      case TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, INTERNAL -> {
        call.kbsError(e.kind().status(), e.kind().type(), e.getMessage(), false);
        return;
      }
      default -> {}
    }
    String endpoint = endpoint(call.path());
    KbsErrorType type;
    String detail;
    if (e.kind() == BrokerException.Kind.NOT_FOUND
        || e.kind() == BrokerException.Kind.METHOD_NOT_ALLOWED) {
      if (endpoint.equals("resource")) {
        type = KbsErrorType.InvalidRequestPath;
        detail = "Request path " + call.path() + " is invalid: " + e.getMessage();
      } else {
        // Trustee routes every /kbs/v0/<name> it does not serve with that method to a plugin
        // of that name, and has none.
        type = KbsErrorType.PluginNotFound;
        detail = "Plugin " + endpoint + " not found: " + e.getMessage();
      }
    } else {
      switch (endpoint) {
        case "auth" -> {
          type = KbsErrorType.AttestationError;
          detail = "Attestation error: RCAR handshake Auth failed: " + e.getMessage();
        }
        case "attest" -> {
          type = KbsErrorType.AttestationError;
          detail = "Attestation error: RCAR handshake Attest failed: " + e.getMessage();
        }
        default -> {
          type = resourceType(call, e);
          detail = resourceDetail(type, e);
        }
      }
    }
    call.kbsError(type.status(), type.uri(), detail, isTokenError(type));
  }

  private static KbsErrorType resourceType(HttpCall call, BrokerException e) {
    return switch (e.kind()) {
      case NOT_ATTESTED, UNAUTHORIZED ->
          call.bearerToken() == null ? KbsErrorType.TokenNotFound : KbsErrorType.TokenVerifierError;
      case DENIED, ATTESTATION_DENIED -> KbsErrorType.PolicyDeny;
      default -> KbsErrorType.PluginInternalError;
    };
  }

  private static String resourceDetail(KbsErrorType type, BrokerException e) {
    String because = e.violations().isEmpty() ? e.getMessage() : String.join("; ", e.violations());
    return switch (type) {
      case TokenNotFound -> "Attestation Token not found: " + because;
      case TokenVerifierError -> "Token Verifier error: " + because;
      case PolicyDeny -> "Access denied by policy: " + because;
      default -> "Plugin internal error: " + because;
    };
  }

  private static boolean isTokenError(KbsErrorType type) {
    return type == KbsErrorType.TokenNotFound || type == KbsErrorType.TokenVerifierError;
  }

  /** {@code auth}, {@code attest}, {@code resource} or the first segment after the prefix. */
  private static String endpoint(String path) {
    String rest = path.substring(KbsEndpoints.PREFIX.length());
    int slash = rest.indexOf('/');
    String first = slash < 0 ? rest : rest.substring(0, slash);
    return first.length() > 64 ? first.substring(0, 64) + "…" : first;
  }
}
