package org.ppml.attestation.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.ppml.attestation.TestVectors;
import org.ppml.attestation.collateral.CollateralBundle;
import org.ppml.attestation.collateral.CollateralFormatException;
import org.ppml.attestation.collateral.QeIdentity;
import org.ppml.attestation.collateral.TcbInfo;
import org.ppml.attestation.dcap.QuoteVerifier;
import org.ppml.attestation.dcap.VerificationResult;
import org.ppml.attestation.policy.Policy;
import org.ppml.attestation.policy.PolicyFormatException;
import org.ppml.attestation.quote.Quote;
import org.ppml.attestation.quote.QuoteFormatException;

/**
 * Jazzer targets for every parser that takes untrusted bytes. Only the typed exceptions may escape;
 * anything else (index errors, class casts, NPEs) fails the test.
 *
 * <p>Under plain {@code mvn test} these run in Jazzer's regression mode over the seeds in {@code
 * src/test/resources/.../ParserFuzzTestInputs}; set {@code JAZZER_FUZZ=1} to fuzz.
 */
class ParserFuzzTest {
  private static final CollateralBundle SGX_BUNDLE = load();

  private static CollateralBundle load() {
    try {
      return CollateralBundle.parse(TestVectors.SGX_V3.collateralBytes());
    } catch (CollateralFormatException e) {
      throw new IllegalStateException(e);
    }
  }

  @FuzzTest(maxDuration = "60s")
  void quoteParser(byte[] data) {
    try {
      Quote.parse(data);
    } catch (QuoteFormatException expected) {
      // typed rejection is the point
    }
  }

  @FuzzTest(maxDuration = "60s")
  void quoteVerifierNeverThrows(byte[] data) {
    VerificationResult r = QuoteVerifier.intel().evaluate(data, SGX_BUNDLE, TestVectors.SGX_V3.at);
    if (r.verified() && data.length < 1000) {
      throw new AssertionError("a tiny input cannot be a verified quote");
    }
  }

  @FuzzTest(maxDuration = "60s")
  void collateralParsers(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    try {
      CollateralBundle.parse(text);
    } catch (CollateralFormatException expected) {
      // typed rejection
    }
    try {
      TcbInfo.parse(text);
    } catch (CollateralFormatException expected) {
      // typed rejection
    }
    try {
      QeIdentity.parse(text);
    } catch (CollateralFormatException expected) {
      // typed rejection
    }
    try {
      Policy.parse(text.getBytes(StandardCharsets.UTF_8));
    } catch (PolicyFormatException expected) {
      // typed rejection
    }
  }
}
