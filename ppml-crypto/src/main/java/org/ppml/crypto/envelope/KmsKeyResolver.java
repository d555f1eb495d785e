package org.ppml.crypto.envelope;

import java.io.IOException;
import java.util.Objects;
import org.ppml.crypto.IntegrityException;
import org.ppml.crypto.kms.DataKey;
import org.ppml.crypto.kms.Kms;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.WrappedKey;

/**
 * Resolves data keys by unwrapping through one configured {@link Kms}. A header naming another KMS,
 * or a wrapped key that does not authenticate, is an integrity failure of that file.
 */
public final class KmsKeyResolver implements DataKeyResolver {
  private final Kms kms;

  public KmsKeyResolver(Kms kms) {
    this.kms = Objects.requireNonNull(kms);
  }

  @Override
  public DataKey resolve(String kmsReference, WrappedKey wrapped, String source)
      throws IOException {
    Objects.requireNonNull(wrapped, "wrapped");
    if (!kms.matches(kmsReference)) {
      throw new IntegrityException(
          source,
          IntegrityException.HEADER,
          "file names KMS '"
              + kmsReference
              + "' but this reader is configured with '"
              + kms.reference()
              + "'");
    }
    try {
      return kms.unwrap(wrapped);
    } catch (KmsException e) {
      // A key or version the configured KMS does not have, or a wrap that does not authenticate,
      // means this file cannot be authenticated here: a verdict on the file, not an I/O error.
      if (e.reason() == KmsException.Reason.UNWRAP_FAILED
          || e.reason() == KmsException.Reason.KEY_NOT_FOUND) {
        throw new IntegrityException(source, IntegrityException.HEADER, e.getMessage(), e);
      }
      throw e;
    }
  }
}
