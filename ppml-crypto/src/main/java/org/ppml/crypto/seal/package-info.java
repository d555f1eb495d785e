/**
 * Sealing small secrets with AES-GCM ({@link org.ppml.crypto.seal.AesGcmSeal}): data keys under a
 * primary key, a key store under its passphrase-derived key, broker rows under the master key,
 * Parquet keys under a data key. One implementation, one layout ({@code nonce ‖ ciphertext ‖ tag}),
 * the self-tested provider.
 */
package org.ppml.crypto.seal;
