package org.ppml.kms.token;

/** A bearer token was not accepted; {@link #step()} names the verification step that failed. */
public final class TokenRejectedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String step;

  public TokenRejectedException(String step, String message) {
    super(message);
    this.step = step;
  }

  /** The failed step: parse, signature, claims, issuer, lifetime or tee-key. */
  public String step() {
    return step;
  }
}
