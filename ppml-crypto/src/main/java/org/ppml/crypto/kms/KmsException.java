package org.ppml.crypto.kms;

import java.io.IOException;
import java.util.Locale;
import org.ppml.crypto.CodedFailure;

/** A KMS operation failed; {@link #reason()} says how, so callers can map it to exit codes. */
public class KmsException extends IOException implements CodedFailure {
  private static final long serialVersionUID = 1L;

  /** Why a KMS operation failed. */
  public enum Reason {
    /** No such key or key version. */
    KEY_NOT_FOUND,
    /** A key with that name already exists. */
    KEY_EXISTS,
    /** The key is disabled. */
    KEY_DISABLED,
    /** The wrapped key did not authenticate: tampered header, or another key's data key. */
    UNWRAP_FAILED,
    /** Policy or attestation denied the release. */
    DENIED,
    /** The store could not be opened: wrong passphrase or key file, or a corrupt store. */
    STORE_LOCKED,
    /** Bad argument: key name, key length, URI. */
    INVALID_ARGUMENT,
    /** The backend could not be reached or failed. */
    UNAVAILABLE,
    /**
     * The backend does not offer the operation at all (a capability it lacks, see {@link
     * KmsCapability}).
     */
    UNSUPPORTED
  }

  private final Reason reason;

  public KmsException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public KmsException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** {@code kms.} and the reason, e.g. {@code kms.denied}. */
  @Override
  public String code() {
    return "kms." + reason.name().toLowerCase(Locale.ROOT);
  }

  /** Only a denial is a verdict; every other reason is an error. */
  @Override
  public boolean isVerdict() {
    return reason == Reason.DENIED;
  }
}
