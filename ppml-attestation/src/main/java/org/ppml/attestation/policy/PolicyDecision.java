package org.ppml.attestation.policy;

import java.util.List;

/** The outcome of evaluating a policy: allowed exactly when there are no violations. */
public record PolicyDecision(List<PolicyViolation> violations) {
  public PolicyDecision {
    violations = List.copyOf(violations);
  }

  public boolean allowed() {
    return violations.isEmpty();
  }
}
