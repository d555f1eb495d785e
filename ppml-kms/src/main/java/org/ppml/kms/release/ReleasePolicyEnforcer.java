package org.ppml.kms.release;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.ppml.attestation.policy.AttestedClaims;
import org.ppml.attestation.policy.Policy;
import org.ppml.attestation.policy.PolicyDecision;
import org.ppml.attestation.policy.PolicyFormatException;
import org.ppml.attestation.policy.PolicyViolation;
import org.ppml.kms.BrokerException;
import org.ppml.kms.BrokerException.Kind;
import org.ppml.kms.cache.TextKeyedCache;

/**
 * Decides whether a key or resource may be released to an attested enclave: its policy (the strict
 * default when none is set) must hold for the token's claims. Every violation is reported.
 */
public final class ReleasePolicyEnforcer {
  // Parsed policies by their exact stored text: a changed policy is new text, so nothing stale
  // is served, and a release skips the JSON parse and hex decode.
  private final TextKeyedCache<Policy> parsed = new TextKeyedCache<>(1024);

  /**
   * Throws {@link Kind#DENIED} with every violation unless {@code policyJson} holds for {@code
   * claims}.
   *
   * @param policyJson the stored policy, or null for {@link Policy#defaults()}
   */
  public void enforce(String policyJson, AttestedClaims claims) throws BrokerException {
    Policy policy = readPolicy(policyJson);
    PolicyDecision decision = policy.evaluate(claims);
    if (!decision.allowed()) {
      List<String> violations = new ArrayList<>();
      for (PolicyViolation v : decision.violations()) {
        violations.add(v.field() + ": " + v.message());
      }
      throw new BrokerException(
          Kind.DENIED, "the key's policy does not hold for this enclave", violations);
    }
  }

  private Policy readPolicy(String policyJson) throws BrokerException {
    if (policyJson == null) {
      return Policy.defaults();
    }
    try {
      return parsed.get(policyJson, text -> Policy.parse(text.getBytes(StandardCharsets.UTF_8)));
    } catch (PolicyFormatException e) {
      // A stored policy was validated when set; failing closed is the only safe answer here.
      throw new BrokerException(
          Kind.DENIED, "the key's stored policy is unreadable", List.of("policy: unreadable"));
    }
  }
}
