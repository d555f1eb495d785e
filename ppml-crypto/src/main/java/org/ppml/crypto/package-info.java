/**
 * The cryptographic core of PPML: the PPML v1 encrypted file format, the key hierarchy and the
 * {@code Kms} SPI.
 *
 * <p>Sub-packages, from the bottom up:
 *
 * <ul>
 *   <li>{@link org.ppml.crypto.provider} picks the AES-GCM provider (ACCP, else the JDK) after a
 *       known-answer self-test;
 *   <li>{@link org.ppml.crypto.stream} is the Tink-compatible {@code AesGcmHkdfStreaming} body:
 *       segment layout, encrypting stream, seekable decrypting channel;
 *   <li>{@link org.ppml.crypto.envelope} is the 1024-byte PPML header around that body, and the
 *       reader/writer that join header, body and {@code Kms};
 *   <li>{@link org.ppml.crypto.kms} is the {@code Kms} SPI and its URI registry, and {@link
 *       org.ppml.crypto.kms.local} the {@code local:} key store;
 *   <li>{@link org.ppml.crypto.secret} and {@link org.ppml.crypto.fs} handle secret bytes and
 *       crash-safe files.
 * </ul>
 *
 * <p>Nothing here imports Spark or Hadoop: this module runs in the CLI, the key broker and any
 * enclave application. See DESIGN.md §3–§4.
 */
package org.ppml.crypto;
