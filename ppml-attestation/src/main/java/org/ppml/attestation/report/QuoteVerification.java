package org.ppml.attestation.report;

import java.time.Instant;
import java.util.Objects;
import org.ppml.attestation.collateral.CollateralBundle;
import org.ppml.attestation.collateral.CollateralFormatException;
import org.ppml.attestation.dcap.QuoteVerifier;
import org.ppml.attestation.dcap.VerificationResult;
import org.ppml.attestation.policy.Policy;
import org.ppml.attestation.policy.PolicyFormatException;
import org.ppml.attestation.quote.QuoteEncoding;
import org.ppml.attestation.quote.QuoteFormatException;

/**
 * The whole of {@code ppml quote verify} minus argument parsing and I/O: decode the quote file
 * (binary or hex text), parse the collateral bundle and the optional policy, verify, evaluate. Bad
 * input never throws; it becomes a report with {@code error} set and exit code 2.
 */
public final class QuoteVerification {
  private QuoteVerification() {}

  /**
   * @param quoteFile the bytes of the QUOTE argument's file, binary or hex text
   * @param collateralJson the bytes of the {@code --collateral} bundle file
   * @param policyJson the bytes of the {@code --policy} file, or null for no policy
   * @param verifier pinned to {@code --root} (or Intel's root) with the {@code --crl} mode
   * @param at the {@code --at} time, or now
   */
  public static QuoteVerificationReport run(
      byte[] quoteFile,
      byte[] collateralJson,
      byte[] policyJson,
      QuoteVerifier verifier,
      Instant at) {
    Objects.requireNonNull(verifier, "verifier");
    Objects.requireNonNull(at, "at");
    byte[] quote;
    CollateralBundle bundle;
    Policy policy = null;
    try {
      quote = QuoteEncoding.decodeFile(Objects.requireNonNull(quoteFile, "quoteFile"));
      bundle = CollateralBundle.parse(collateralJson);
      if (policyJson != null) {
        policy = Policy.parse(policyJson);
      }
    } catch (QuoteFormatException | CollateralFormatException | PolicyFormatException e) {
      return QuoteVerificationReport.inputError(e);
    }
    VerificationResult result = verifier.evaluate(quote, bundle, at);
    return new QuoteVerificationReport(result, policy == null ? null : policy.evaluate(result));
  }
}
