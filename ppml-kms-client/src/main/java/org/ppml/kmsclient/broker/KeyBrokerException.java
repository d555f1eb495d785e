package org.ppml.kmsclient.broker;

import java.util.List;
import org.ppml.crypto.kms.KmsException;

/**
 * The broker refused a request or could not be reached. Carries the HTTP status, the RFC 7807
 * problem type and the policy violations the broker reported, so callers can print them.
 */
public final class KeyBrokerException extends KmsException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String problemType;
  private final List<String> violations;

  public KeyBrokerException(
      Reason reason, int status, String problemType, String message, List<String> violations) {
    super(reason, message);
    this.status = status;
    this.problemType = problemType;
    this.violations = List.copyOf(violations);
  }

  public KeyBrokerException(Reason reason, String message, Throwable cause) {
    super(reason, message, cause);
    this.status = 0;
    this.problemType = null;
    this.violations = List.of();
  }

  /** The HTTP status, or 0 when no response arrived. */
  public int status() {
    return status;
  }

  /** The problem type URI, or null. */
  public String problemType() {
    return problemType;
  }

  /**
   * The broker's type when it sent one, which says more than the reason: {@code kms.policy-denied},
   * {@code kms.not-attested} (RFC 7807, {@code urn:ppml:kms:…}) or, on {@code /kbs/v0}, {@code
   * kms.PolicyDeny}, {@code kms.AttestationError} (Trustee's {@code …/kbs/errors/<Variant>}).
   */
  @Override
  public String code() {
    return problemType == null
        ? super.code()
        : "kms."
            + problemType.substring(
                Math.max(problemType.lastIndexOf(':'), problemType.lastIndexOf('/')) + 1);
  }

  /** Policy violations or failure reasons from the broker. */
  @Override
  public List<String> violations() {
    return violations;
  }
}
