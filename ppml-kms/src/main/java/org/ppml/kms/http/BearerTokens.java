package org.ppml.kms.http;

import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.ppml.kms.BrokerException;
import org.ppml.kms.BrokerException.Kind;
import org.ppml.kms.audit.AuditLog;
import org.ppml.kms.audit.AuditRecord;
import org.ppml.kms.store.ApiTokenStore;
import org.ppml.kms.store.KbsSessionStore;
import org.ppml.kms.store.StoreException;
import org.ppml.kms.token.AttestationToken;
import org.ppml.kms.token.AttestationTokenVerifier;
import org.ppml.kms.token.TokenRejectedException;

/**
 * Who is calling: an attested enclave (an attestation token as bearer, or a KBS session that
 * attested), an administrator or a writer (API tokens). Failures are 401 with the failed step, and
 * every one is audited (event {@code token} or {@code api-token}), a missing credential as well as
 * a refused one: someone probing the admin API or the release endpoints leaves a trace. The cost is
 * one durable write per refusal, as for every {@code auth} call.
 */
final class BearerTokens {
  private final AttestationTokenVerifier verifier;
  private final ApiTokenStore apiTokens;
  private final Clock clock;
  private final AuditLog audit;
  // KBS clients may rely on the session cookie instead of the bearer token after attest. Sessions
  // are in the database, so the next request may go to any replica.
  private final KbsSessionStore sessions;

  BearerTokens(
      AttestationTokenVerifier verifier,
      ApiTokenStore apiTokens,
      KbsSessionStore sessions,
      Clock clock,
      AuditLog audit) {
    this.verifier = verifier;
    this.apiTokens = apiTokens;
    this.sessions = sessions;
    this.clock = clock;
    this.audit = audit;
  }

  /**
   * Remembers the token a session earned, until the token expires.
   *
   * @param session the session's {@link SessionIds#digest}, never the cookie itself
   */
  void rememberSession(String session, String jwt) throws StoreException {
    Instant expires;
    try {
      // This broker signed the token a moment ago: its expiry is read, not verified again (a
      // second ES256 verification per attest would cost more than the rest of this method).
      expires = SignedJWT.parse(jwt).getJWTClaimsSet().getExpirationTime().toInstant();
    } catch (ParseException | RuntimeException e) {
      throw new IllegalStateException("a token this broker just issued does not parse", e);
    }
    sessions.remember(session, jwt, expires, clock.instant());
  }

  /**
   * The verified attestation token of the call: the bearer token, else the session's.
   *
   * @param session the {@link SessionIds#digest} of the call's session cookie, or null
   */
  AttestationToken attested(HttpCall call, String session) throws BrokerException {
    String jwt = call.bearerToken();
    if (jwt == null && session != null) {
      try {
        jwt = sessions.token(session, clock.instant()).orElse(null);
      } catch (StoreException e) {
        throw new BrokerException(Kind.INTERNAL, "session store unavailable");
      }
    }
    if (jwt == null) {
      throw refuse(
          call,
          "token",
          Kind.NOT_ATTESTED,
          "missing",
          "no attestation token; attest at /kbs/v0/attest first");
    }
    try {
      return verifier.verify(jwt, clock.instant());
    } catch (TokenRejectedException e) {
      throw refuse(call, "token", Kind.NOT_ATTESTED, e.step(), e.getMessage());
    }
  }

  /** The role of the call's API token when it is one of {@code allowed}, else an audited 401. */
  ApiTokenStore.Role apiRole(HttpCall call, Set<ApiTokenStore.Role> allowed)
      throws BrokerException, StoreException {
    String token = call.bearerToken();
    if (token == null) {
      throw refuse(
          call,
          "api-token",
          Kind.UNAUTHORIZED,
          "missing",
          "an API token is required (Authorization: Bearer)");
    }
    Optional<ApiTokenStore.Role> role = apiTokens.roleOf(token);
    if (role.isEmpty()) {
      throw refuse(call, "api-token", Kind.UNAUTHORIZED, "unknown", "the API token is not valid");
    }
    if (!allowed.contains(role.get())) {
      throw refuse(
          call,
          "api-token",
          Kind.UNAUTHORIZED,
          "role",
          "a " + role.get().name().toLowerCase(Locale.ROOT) + " token may not call " + call.path());
    }
    return role.get();
  }

  /** Audits a refused credential and returns the 401 to throw. */
  private BrokerException refuse(
      HttpCall call, String event, Kind kind, String step, String message) throws BrokerException {
    List<String> violations = List.of(step + ": " + message);
    try {
      audit.append(
          AuditRecord.of(
              call.peer(),
              event,
              AuditRecord.DENY,
              null,
              null,
              false,
              violations,
              call.method() + " " + call.path()));
    } catch (StoreException storeFailure) {
      // The refusal stands either way; the store failure is the broker's to log.
      throw new BrokerException(Kind.INTERNAL, "audit log unavailable");
    }
    return new BrokerException(kind, message, violations);
  }

  /** Whether the call carries what looks like an API token rather than a JWT. */
  static boolean looksLikeApiToken(HttpCall call) {
    String t = call.bearerToken();
    return t != null && t.startsWith("ppml_");
  }
}
