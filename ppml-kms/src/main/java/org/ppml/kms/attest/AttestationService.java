package org.ppml.kms.attest;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.ppml.attestation.collateral.CollateralBundle;
import org.ppml.attestation.collateral.CollateralFormatException;
import org.ppml.attestation.dcap.QuoteVerifier;
import org.ppml.attestation.dcap.VerificationException;
import org.ppml.attestation.dcap.VerificationResult;
import org.ppml.attestation.policy.AttestedClaims;
import org.ppml.attestation.quote.Quote;
import org.ppml.attestation.quote.QuoteFormatException;
import org.ppml.attestation.quote.TeeType;
import org.ppml.kms.BrokerException;
import org.ppml.kms.BrokerException.Kind;
import org.ppml.kms.audit.AuditLog;
import org.ppml.kms.audit.AuditRecord;
import org.ppml.kms.metrics.BrokerMetrics;
import org.ppml.kms.store.StoreException;
import org.ppml.kms.token.AttestationToken;
import org.ppml.kms.token.AttestationTokenIssuer;
import org.ppml.kmsclient.broker.KbsTee;
import org.ppml.kmsclient.broker.RuntimeDataBinding;

/**
 * The KBS 0.4.0 attest step, as named steps: read the body ({@link AttestRequest}), check the
 * session's TEE is one this broker verifies, use up the nonce, verify the quote, check its TEE type
 * and that REPORT_DATA binds the runtime data, and issue a token. Every outcome is audited; every
 * failure is a 401 that names its step.
 */
public final class AttestationService {
  private static final Set<String> STEPS = Set.of("nonce", "tee", "evidence", "quote", "binding");

  private final NonceStore nonces;
  private final QuoteVerifier verifier;
  private final CollateralSource collateral;
  private final AttestationTokenIssuer issuer;
  private final AuditLog audit;
  private final Clock clock;
  private final BrokerMetrics metrics;

  /**
   * The outcome of a successful attest.
   *
   * @param jwt the signed token
   * @param token what it says
   */
  public record Attested(String jwt, AttestationToken token) {
    /** The token's id only: the signed JWT is a bearer credential. */
    @Override
    public String toString() {
      return "Attested[token " + token.id() + "]";
    }
  }

  public AttestationService(
      NonceStore nonces,
      QuoteVerifier verifier,
      CollateralSource collateral,
      AttestationTokenIssuer issuer,
      AuditLog audit,
      Clock clock) {
    this(nonces, verifier, collateral, issuer, audit, clock, new BrokerMetrics(false));
  }

  /**
   * @param metrics counts each verification by result and TEE
   */
  public AttestationService(
      NonceStore nonces,
      QuoteVerifier verifier,
      CollateralSource collateral,
      AttestationTokenIssuer issuer,
      AuditLog audit,
      Clock clock,
      BrokerMetrics metrics) {
    this.metrics = metrics;
    this.nonces = nonces;
    this.verifier = verifier;
    this.collateral = collateral;
    this.issuer = issuer;
    this.audit = audit;
    this.clock = clock;
  }

  /** Issues a nonce for a new session (the KBS auth step). */
  public String challenge(String session, String peer) throws StoreException {
    String nonce = nonces.issue(session, clock.instant());
    audit.append(
        AuditRecord.of(peer, "auth", AuditRecord.ALLOW, null, null, false, List.of(), null));
    return nonce;
  }

  /**
   * Runs the attest step for {@code session}.
   *
   * @param tee the {@code tee} the session named at auth, as sent
   * @param body the attest body (KBS 0.4.0, see {@link AttestRequest})
   */
  public Attested attest(String session, String tee, JsonNode body, String peer)
      throws BrokerException, StoreException {
    Instant now = clock.instant();
    AttestedClaims claims = null;
    try {
      AttestRequest request = AttestRequest.parse(body);
      // Without a session there is no tee either; consumeNonce says to call auth first.
      TeeType expectedQuote = session == null ? null : verifiableTee(tee);
      consumeNonce(session, request.nonce(), now);
      VerificationResult result = verifyQuote(request.quote(), now);
      claims = AttestedClaims.of(result);
      checkVerified(result);
      checkTee(tee, expectedQuote, result);
      checkBinding(request, result);
      TeePublicKey teeKey = request.teeKey();
      AttestationToken token = issuer.issue(claims, teeKey.jwk(), teeKey.thumbprint());
      String jwt = issuer.sign(token);
      audit.append(
          AuditRecord.of(
              peer,
              "attest",
              AuditRecord.ALLOW,
              null,
              null,
              claims,
              List.of(),
              "token " + token.id() + " until " + token.expiresAt()));
      metrics.attestation("verified", teeLabel(claims));
      return new Attested(jwt, token);
    } catch (BrokerException e) {
      audit.append(
          AuditRecord.of(
              peer, "attest", AuditRecord.DENY, null, null, claims, violations(e), null));
      metrics.attestation(refusingStep(e), teeLabel(claims));
      throw e;
    }
  }

  /**
   * The quote type the session's {@code tee} must come with. Unknown names and TEEs this broker
   * cannot verify are refused here rather than at auth, so a client learns why with its evidence in
   * hand.
   */
  private static TeeType verifiableTee(String tee) throws BrokerException {
    Optional<KbsTee> known = tee == null ? Optional.empty() : KbsTee.of(tee);
    if (known.isEmpty()) {
      throw notAttested(
          "tee",
          "tee \"" + tee + "\" is not a TEE name kbs-types defines (" + KbsTee.names() + ")");
    }
    if (!known.get().dcap()) {
      throw notAttested(
          "tee",
          "tee \""
              + tee
              + "\" cannot be verified by this broker, which verifies Intel DCAP quotes of sgx and"
              + " tdx only");
    }
    return known.get() == KbsTee.TDX ? TeeType.TDX : TeeType.SGX;
  }

  private static void checkTee(String tee, TeeType expected, VerificationResult r)
      throws BrokerException {
    if (r.teeType() != expected) {
      throw notAttested(
          "tee",
          "the session's tee is " + tee + " but the evidence is a " + r.teeType() + " quote");
    }
  }

  /**
   * Audits an auth or attest request refused before it reached {@link #challenge} or {@link
   * #attest} (unreadable, oversize or malformed), so every call to those steps leaves a record.
   *
   * @param step {@code auth} or {@code attest}
   */
  public void recordRefusal(String step, String peer, BrokerException e) throws StoreException {
    audit.append(
        AuditRecord.of(peer, step, AuditRecord.DENY, null, null, false, violations(e), null));
    if (step.equals("attest")) {
      metrics.attestation("request", "unknown");
    }
  }

  // The refusing step is one of this class's own constants, never text from the request, so it is
  // a bounded label value.
  private static String refusingStep(BrokerException e) {
    return switch (e.kind()) {
      case ATTESTATION_DENIED, NOT_ATTESTED -> {
        String m = e.getMessage();
        int colon = m.indexOf(':');
        String step = colon > 0 ? m.substring(0, colon) : "";
        yield STEPS.contains(step) ? step : "other";
      }
      case BAD_REQUEST, TOO_LARGE, UNSUPPORTED_MEDIA_TYPE -> "request";
      default -> "error";
    };
  }

  private static String teeLabel(AttestedClaims claims) {
    return claims == null || claims.teeType() == null
        ? "unknown"
        : claims.teeType().name().toLowerCase(Locale.ROOT);
  }

  private static List<String> violations(BrokerException e) {
    return e.violations().isEmpty() ? List.of(e.getMessage()) : e.violations();
  }

  private void consumeNonce(String session, String nonce, Instant now)
      throws BrokerException, StoreException {
    if (session == null) {
      // Not evidence refused, but a step skipped: the caller starts again at auth.
      throw new BrokerException(
          Kind.NOT_ATTESTED,
          "nonce: no kbs-session-id cookie; call /kbs/v0/auth first",
          List.of("nonce: no kbs-session-id cookie; call /kbs/v0/auth first"));
    }
    if (!nonces.consume(session, nonce, now)) {
      throw notAttested("nonce", "nonce is unknown, expired, already used or from another session");
    }
  }

  private VerificationResult verifyQuote(byte[] quoteBytes, Instant now) throws BrokerException {
    Quote quote;
    try {
      quote = Quote.parse(quoteBytes);
    } catch (QuoteFormatException e) {
      throw notAttested("evidence", "quote is malformed: " + e.getMessage());
    }
    CollateralBundle bundle;
    try {
      bundle = collateral.collateralFor(quote, now);
    } catch (VerificationException e) {
      throw notAttested("evidence", "the quote names no usable platform: " + e.getMessage());
    } catch (IOException | CollateralFormatException e) {
      throw new BrokerException(Kind.INTERNAL, "collateral unavailable");
    }
    return verifier.evaluate(quoteBytes, bundle, now);
  }

  private static void checkVerified(VerificationResult r) throws BrokerException {
    if (!r.verified()) {
      String code = r.error() == null ? "UNKNOWN" : r.error().code();
      throw notAttested(
          "quote",
          "quote does not verify: "
              + code
              + (r.error() == null ? "" : " (" + r.error().getMessage() + ")"));
    }
  }

  private static void checkBinding(AttestRequest request, VerificationResult r)
      throws BrokerException {
    if (!RuntimeDataBinding.matches(request.expectedReportData(), r.reportData())) {
      throw notAttested(
          "binding",
          "REPORT_DATA does not bind the runtime data (KBS 0.4.0: SHA-384 of the JCS form of"
              + " {tee-pubkey, nonce, additional-evidence}, zero-padded to 64 bytes)");
    }
  }

  private static BrokerException notAttested(String step, String message) {
    return new BrokerException(
        Kind.ATTESTATION_DENIED, step + ": " + message, List.of(step + ": " + message));
  }
}
