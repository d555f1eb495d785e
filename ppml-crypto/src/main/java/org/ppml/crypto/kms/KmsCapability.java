package org.ppml.crypto.kms;

/**
 * Asks a {@link Kms} for an optional capability ({@link KeyAdministration}, {@link KeyRotation},
 * {@link KeyImport}, {@link ExplicitKeySource}). A backend that lacks it is reported by its
 * reference and the operation, as {@code UNSUPPORTED}: a usage error, not a denial.
 */
public final class KmsCapability {
  private KmsCapability() {}

  /**
   * {@code kms} as {@code capability}.
   *
   * @param operation what the caller wanted, for the error: e.g. {@code "rotating keys"}
   * @throws KmsException {@code UNSUPPORTED}, naming the backend and the operation, when {@code
   *     kms} does not offer it
   */
  public static <C> C require(Kms kms, Class<C> capability, String operation) throws KmsException {
    if (capability.isInstance(kms)) {
      return capability.cast(kms);
    }
    throw new KmsException(
        KmsException.Reason.UNSUPPORTED,
        operation
            + " is not offered by the KMS "
            + kms.reference()
            + " (its backend does not implement "
            + capability.getSimpleName()
            + ")");
  }
}
