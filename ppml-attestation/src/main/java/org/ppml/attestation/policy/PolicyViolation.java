package org.ppml.attestation.policy;

/** One policy constraint that the evidence does not meet: the policy field and what was wrong. */
public record PolicyViolation(String field, String message) {
  @Override
  public String toString() {
    return field + ": " + message;
  }
}
