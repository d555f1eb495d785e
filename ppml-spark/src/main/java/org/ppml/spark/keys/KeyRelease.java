package org.ppml.spark.keys;

import java.io.IOException;
import org.ppml.crypto.envelope.DataKeyResolver;
import org.ppml.crypto.kms.DataKey;
import org.ppml.crypto.kms.WrappedKey;

/**
 * How this JVM obtains data keys from the configured KMS.
 *
 * <p>A driver asks only for {@link #newWrappedDataKey wrapped} keys; executors get plaintext keys
 * through {@link #resolve} (reads, and writes that carry a driver's wrapped key) or {@link
 * #newDataKey} (writes that came without one). In dev mode with a local store the store itself
 * releases keys ({@link KmsKeyRelease} over a {@code local:} store); the attested key broker goes
 * through the same class with a {@code ppml+https} KMS (see {@link KeyReleases}), and the
 * FileSystem does not change.
 *
 * <p>Implementations never put key bytes into exceptions, logs or {@code toString}.
 */
public interface KeyRelease extends DataKeyResolver, AutoCloseable {
  /** The reference that file headers written through this release carry in {@code kms}. */
  String kmsReference();

  /** A fresh data key in wrapped form only: what a driver puts into a write job. */
  WrappedKey newWrappedDataKey(String keyName) throws IOException;

  /** A fresh plaintext data key under {@code keyName}; the caller closes it. */
  DataKey newDataKey(String keyName) throws IOException;

  /**
   * The raw bytes of the explicit key {@code keyId}, for files that name their key by id (Parquet
   * files written with explicit keys by other tools). The caller zeroes them.
   *
   * @throws IOException when the KMS holds no such key or does not release explicit keys at all
   */
  byte[] explicitKey(String keyId) throws IOException;

  @Override
  void close() throws IOException;
}
