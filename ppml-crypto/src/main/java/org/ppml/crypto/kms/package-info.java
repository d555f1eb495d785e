/**
 * The {@code Kms} SPI: the one interface every key backend implements, and the registry that maps a
 * KMS URI ({@code local:}, {@code ppml+https:}, {@code kbs+https:}, {@code ehsm+https:}) to a
 * backend found through {@link java.util.ServiceLoader}.
 *
 * <p>The hierarchy (DESIGN.md §4): a primary key (KEK) lives in the KMS and wraps data keys; a data
 * key (DEK) is stored only wrapped, in each file header; per-file keys come from HKDF with a random
 * per-file salt inside the body format.
 */
package org.ppml.crypto.kms;
