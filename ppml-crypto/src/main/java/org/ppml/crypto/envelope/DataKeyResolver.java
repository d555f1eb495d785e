package org.ppml.crypto.envelope;

import java.io.IOException;
import org.ppml.crypto.kms.DataKey;
import org.ppml.crypto.kms.WrappedKey;

/**
 * Turns a wrapped data key into the data key that decrypts a file's body.
 *
 * <p>It takes what resolution needs, not a whole file header: the KMS reference the wrapped key
 * names and the wrapped key itself (with its primary key name and version). A file header supplies
 * both ({@link EnvelopeHeader#kms()}, {@link EnvelopeHeader#wrapped()}); so do a write job's key
 * and a Parquet key wrapped through the KMS, without inventing a header.
 *
 * <p>The CLI resolves through a {@code Kms} ({@link KmsKeyResolver}); Spark executors resolve
 * through an attested key broker with a bounded cache. Either way the resolver, not the caller,
 * decides which KMS is asked.
 */
@FunctionalInterface
public interface DataKeyResolver {
  /**
   * The data key that {@code wrapped} wraps. The caller closes it when the file is closed.
   *
   * @param kmsReference the KMS that wrapped it, as a file header names it
   * @param source the file (or key) name for error messages
   */
  DataKey resolve(String kmsReference, WrappedKey wrapped, String source) throws IOException;
}
