package org.ppml.occlum.sign;

/**
 * The Occlum sign-tool adapter stopped the build. {@link #kind()} tells waiting for the offline
 * signature apart from a signature that must not be used and from a failure to run at all.
 */
public final class SignToolException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the build stopped. */
  public enum Kind {
    /** The signing request was written and waits for the offline signer. */
    PENDING,
    /** The signature does not verify, or it signs another enclave. */
    REJECTED,
    /** Bad arguments or files, or sgx_sign failed. */
    FAILED
  }

  private final Kind kind;

  /**
   * @param message what failed, with the file involved ({@link Kind#FAILED})
   */
  public SignToolException(String message) {
    this(Kind.FAILED, message, null);
  }

  /**
   * @param message what failed ({@link Kind#FAILED})
   * @param cause the underlying failure
   */
  public SignToolException(String message, Throwable cause) {
    this(Kind.FAILED, message, cause);
  }

  /**
   * @param kind why the build stopped
   * @param message what to do or what is wrong
   * @param cause the underlying failure, or null
   */
  public SignToolException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  /** The signing request was written and waits for the offline signer. */
  public static SignToolException pending(String message) {
    return new SignToolException(Kind.PENDING, message, null);
  }

  public Kind kind() {
    return kind;
  }

  /** Whether the build stopped only to wait for the signature. */
  public boolean pending() {
    return kind == Kind.PENDING;
  }
}
