package org.ppml.kms.attest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.ppml.attestation.broker.RuntimeDataBinding;
import org.ppml.attestation.collateral.CollateralBundle;
import org.ppml.attestation.collateral.CollateralFormatException;
import org.ppml.attestation.dcap.QuoteVerifier;
import org.ppml.attestation.dcap.VerificationException;
import org.ppml.attestation.dcap.VerificationResult;
import org.ppml.attestation.policy.AttestedClaims;
import org.ppml.attestation.quote.Quote;
import org.ppml.attestation.quote.QuoteFormatException;
import org.ppml.kms.BrokerException;
import org.ppml.kms.BrokerException.Kind;
import org.ppml.kms.audit.AuditLog;
import org.ppml.kms.audit.AuditRecord;
import org.ppml.kms.metrics.BrokerMetrics;
import org.ppml.kms.store.StoreException;
import org.ppml.kms.token.AttestationToken;
import org.ppml.kms.token.AttestationTokenIssuer;

/**
 * The KBS attest step, as named steps: read the runtime data, use up its nonce, read the TEE key,
 * decode the evidence, verify the quote, check that REPORT_DATA binds the runtime data, and issue a
 * token. Every outcome is audited; every failure is a 401 that names its step.
 */
public final class AttestationService {
  private static final ObjectMapper EVIDENCE_JSON =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).build())
                  .build())
          .build();

  private static final Set<String> STEPS = Set.of("nonce", "evidence", "quote", "binding");

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

  /** Runs the attest step for {@code session}. */
  public Attested attest(String session, JsonNode runtimeData, JsonNode teeEvidence, String peer)
      throws BrokerException, StoreException {
    Instant now = clock.instant();
    AttestedClaims claims = null;
    try {
      String nonce = readNonce(runtimeData);
      consumeNonce(session, nonce, now);
      TeePublicKey teeKey = TeePublicKey.parse(runtimeData.get("tee-pubkey"));
      byte[] quoteBytes = decodeEvidence(teeEvidence);
      VerificationResult result = verifyQuote(quoteBytes, now);
      claims = AttestedClaims.of(result);
      checkVerified(result);
      checkBinding(runtimeData, result);
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

  private static String readNonce(JsonNode runtimeData) throws BrokerException {
    if (runtimeData == null || !runtimeData.isObject()) {
      throw new BrokerException(Kind.BAD_REQUEST, "runtime-data must be an object");
    }
    JsonNode nonce = runtimeData.get("nonce");
    if (nonce == null || !nonce.isTextual()) {
      throw new BrokerException(Kind.BAD_REQUEST, "runtime-data.nonce must be a string");
    }
    return nonce.textValue();
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

  private static byte[] decodeEvidence(JsonNode evidence) throws BrokerException {
    JsonNode q = evidence;
    if (evidence != null && evidence.isTextual() && evidence.textValue().startsWith("{")) {
      // Trustee clients send the evidence object as a JSON string.
      try {
        q = EVIDENCE_JSON.readTree(evidence.textValue());
      } catch (IOException e) {
        throw new BrokerException(Kind.BAD_REQUEST, "tee-evidence is not valid JSON");
      }
    }
    if (q != null && q.isObject()) {
      q = q.get("quote");
    }
    if (q == null || !q.isTextual() || q.textValue().length() > Quote.MAX_SIZE * 4 / 3 + 4) {
      throw new BrokerException(
          Kind.BAD_REQUEST, "tee-evidence must be a base64 quote or an object {\"quote\": base64}");
    }
    try {
      return Base64.getDecoder().decode(q.textValue());
    } catch (IllegalArgumentException e) {
      try {
        return Base64.getUrlDecoder().decode(q.textValue());
      } catch (IllegalArgumentException e2) {
        throw new BrokerException(Kind.BAD_REQUEST, "tee-evidence quote is not base64");
      }
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

  private static void checkBinding(JsonNode runtimeData, VerificationResult r)
      throws BrokerException {
    byte[] expected;
    try {
      expected = RuntimeDataBinding.reportData(runtimeData.toString());
    } catch (IllegalArgumentException e) {
      throw new BrokerException(Kind.BAD_REQUEST, e.getMessage());
    }
    if (!RuntimeDataBinding.matches(expected, r.reportData())) {
      throw notAttested(
          "binding", "REPORT_DATA does not bind runtime-data (expected SHA-384 of its JCS form)");
    }
  }

  private static BrokerException notAttested(String step, String message) {
    return new BrokerException(
        Kind.ATTESTATION_DENIED, step + ": " + message, List.of(step + ": " + message));
  }
}
