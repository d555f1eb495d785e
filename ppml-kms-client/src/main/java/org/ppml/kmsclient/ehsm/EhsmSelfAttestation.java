package org.ppml.kmsclient.ehsm;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import org.ppml.attestation.evidence.Evidence;
import org.ppml.attestation.evidence.EvidenceException;
import org.ppml.attestation.evidence.EvidenceProvider;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.KmsException.Reason;
import org.ppml.kmsclient.broker.RuntimeDataBinding;

/**
 * This process checking its own enclave with eHSM's {@code VerifyQuote} before the backend asks
 * eHSM for a data key, as BigDL PPML's eHSM flow does: a fresh random nonce goes into the quote's
 * REPORT_DATA (through {@link RuntimeDataBinding}, runtime data {@code {"nonce": base64}}), eHSM
 * compares the quote's MRENCLAVE and MRSIGNER with the policy uploaded by {@code UploadQuotePolicy}
 * and echoes the nonce, and a verdict that is negative or echoes another nonce is refused with
 * {@link Reason#DENIED}.
 *
 * <p><b>A self-check, not a release gate.</b> eHSM does not check that the quote binds the nonce,
 * and it does not tie the verdict to later {@code GenerateDataKey} or {@code Decrypt} calls: those
 * succeed for anyone holding the app id and API key, attested or not. So this stops an enclave
 * whose measurements do not match the policy (another image, another signer) from using keys
 * through this backend; it does not stop a holder of the API key outside any enclave. Comparing the
 * echoed nonce only shows that the answer belongs to this request, not to a replayed one.
 *
 * <p>A positive verdict is reused for {@link #DEFAULT_MAX_AGE} (or the age given), counted from
 * before the quote was made; a negative one is not kept, so the next release asks again. Executors
 * release keys from many threads: at most one check runs at a time, and threads that waited on a
 * check that failed get its failure instead of each asking eHSM again.
 */
public final class EhsmSelfAttestation {
  /**
   * How long a positive verdict stands. It bounds how long a replaced policy or a changed
   * measurement goes unnoticed, while keeping a quote and a DCAP verification off each release.
   */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(10);

  private static final int NONCE_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final EhsmClient client;
  private final EvidenceProvider evidence;
  private final String policyId;
  private final Clock clock;
  private final Duration maxAge;
  private final Object lock = new Object();

  /** When the standing positive verdict's check began; null while there is none. */
  private volatile Instant verifiedAt;

  /** Checks started so far; written under {@link #lock}. */
  private volatile long checks;

  /** The outcome of the last check if it failed; guarded by {@link #lock}. */
  private KmsException lastFailure;

  /**
   * @param client the eHSM client the backend uses
   * @param evidence produces this process's quotes
   * @param policyId what {@code UploadQuotePolicy} returned for the expected MRENCLAVE/MRSIGNER
   * @param clock for the age of a verdict
   * @param maxAge how long a positive verdict stands
   */
  public EhsmSelfAttestation(
      EhsmClient client, EvidenceProvider evidence, String policyId, Clock clock, Duration maxAge) {
    this.client = Objects.requireNonNull(client, "client");
    this.evidence = Objects.requireNonNull(evidence, "evidence");
    this.policyId = Objects.requireNonNull(policyId, "policyId");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("maxAge must be positive");
    }
    this.maxAge = maxAge;
  }

  /**
   * Returns when a positive verdict younger than the maximum age stands, checking first if none
   * does.
   *
   * @throws KmsException {@code DENIED} when eHSM rejects the quote or refuses to verify it, or the
   *     echoed nonce is not the one sent; {@code UNAVAILABLE} when no quote can be made or eHSM
   *     cannot be reached
   */
  public void ensureVerified() throws KmsException {
    if (fresh(verifiedAt)) {
      return;
    }
    long seen = checks;
    synchronized (lock) {
      if (fresh(verifiedAt)) {
        return;
      }
      // A check that started after this thread arrived failed: asking again at once would
      // only repeat it, once per waiting thread.
      if (checks != seen && lastFailure != null) {
        throw new KmsException(lastFailure.reason(), lastFailure.getMessage(), lastFailure);
      }
      checks++;
      try {
        verifiedAt = check();
        lastFailure = null;
      } catch (KmsException e) {
        verifiedAt = null;
        lastFailure = e;
        throw e;
      }
    }
  }

  private boolean fresh(Instant at) {
    Instant now = clock.instant();
    // A clock that went backwards makes the age unknown, which counts as stale.
    return at != null && !now.isBefore(at) && now.isBefore(at.plus(maxAge));
  }

  /** One VerifyQuote round; returns when it began. */
  private Instant check() throws KmsException {
    Instant began = clock.instant();
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    String sentNonce = Base64.getEncoder().encodeToString(nonce);
    byte[] reportData =
        RuntimeDataBinding.reportData(
            JsonNodeFactory.instance.objectNode().put("nonce", sentNonce).toString());
    Evidence quote;
    try {
      quote = evidence.evidence(reportData);
    } catch (EvidenceException e) {
      throw new KmsException(
          Reason.UNAVAILABLE,
          "eHSM self-attestation: evidence provider '"
              + evidence.name()
              + "' cannot produce a quote: "
              + e.getMessage(),
          e);
    }
    EhsmClient.QuoteVerdict verdict;
    try {
      verdict = client.verifyQuote(quote.quote(), nonce, policyId);
    } catch (EhsmException e) {
      throw new KmsException(
          Reason.DENIED,
          "eHSM self-attestation: VerifyQuote refused to verify this enclave's"
              + " quote under policy "
              + policyId
              + ": "
              + e.getMessage(),
          e);
    } catch (IOException e) {
      throw new KmsException(
          Reason.UNAVAILABLE, "eHSM self-attestation: VerifyQuote failed: " + e.getMessage(), e);
    }
    // The nonce first: a verdict for another request says nothing about this enclave.
    if (!MessageDigest.isEqual(
        sentNonce.getBytes(StandardCharsets.US_ASCII),
        verdict.nonce().getBytes(StandardCharsets.UTF_8))) {
      throw new KmsException(
          Reason.DENIED,
          "eHSM self-attestation: VerifyQuote echoed another nonce than the one"
              + " sent, so its verdict is not an answer to this request");
    }
    if (!verdict.result()) {
      throw new KmsException(
          Reason.DENIED,
          "eHSM self-attestation: VerifyQuote rejected this enclave's quote under"
              + " policy "
              + policyId
              + " (MRENCLAVE/MRSIGNER do not match the policy, or the quote does not"
              + " verify); no data key was requested");
    }
    return began;
  }

  @Override
  public String toString() {
    return "EhsmSelfAttestation[policy "
        + policyId
        + ", provider "
        + evidence.name()
        + ", max age "
        + maxAge
        + "]";
  }
}
