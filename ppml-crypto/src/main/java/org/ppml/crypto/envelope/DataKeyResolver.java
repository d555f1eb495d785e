package org.ppml.crypto.envelope;

import java.io.IOException;
import org.ppml.crypto.kms.DataKey;

/**
 * Turns a file header into the data key that decrypts its body.
 *
 * <p>The CLI resolves through a {@code Kms} ({@link KmsKeyResolver}); Spark executors resolve
 * through an attested key broker with a bounded cache. Either way the resolver, not the header,
 * decides which KMS is asked.
 */
@FunctionalInterface
public interface DataKeyResolver {
  /**
   * The data key for {@code header}. The caller closes it when the file is closed.
   *
   * @param source the file name for error messages
   */
  DataKey resolve(EnvelopeHeader header, String source) throws IOException;
}
