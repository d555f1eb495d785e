/**
 * The cryptographic core of PPML: the PPML v1 encrypted file format, the key hierarchy and the key
 * SPI.
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
 *   <li>{@link org.ppml.crypto.kms} is the key SPI, cut by role (the data-plane {@code Kms} and the
 *       administration capabilities), and its URI registry; {@link org.ppml.crypto.kms.local} is
 *       the {@code local:} key store;
 *   <li>{@link org.ppml.crypto.seal} seals small secrets (data keys, key stores) with AES-GCM;
 *   <li>{@link org.ppml.crypto.json} parses untrusted JSON strictly, and {@link org.ppml.crypto.fs}
 *       reads bounded files and writes crash-safe, owner-only ones.
 * </ul>
 *
 * <p>Nothing here imports Spark or Hadoop: this module runs in the CLI, the key broker and any
 * enclave application. See docs/format.md and docs/architecture.md.
 */
package org.ppml.crypto;
