package org.ppml.crypto.kms;

/**
 * A backend that hands out the raw bytes of a key named by id.
 *
 * <p>Some formats name their keys instead of wrapping them: a Parquet file written with explicit
 * keys (parquet-cpp, pyarrow, parquet-java without a KMS) stores only a key id such as {@code
 * "kf"}. Reading one needs the key itself, which the {@link Kms} SPI never releases: it only
 * unwraps data keys it wrapped. Only backends where such a key may leave the KMS implement this
 * capability: the local store (docs/architecture.md: primary keys leave the KMS only there) and
 * KBS-style brokers, where the key is an attested resource released to an enclave.
 */
public interface ExplicitKeySource {
  /**
   * The bytes of the explicit key {@code keyId} (16, 24 or 32 bytes). The caller zeroes them.
   *
   * @throws KmsException {@code KEY_NOT_FOUND} when there is no such key, {@code DENIED} when it
   *     may not be released to this caller
   */
  byte[] explicitKey(String keyId) throws KmsException;
}
