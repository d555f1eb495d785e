/**
 * The key SPI, cut by role, and the registry that maps a KMS URI ({@code local:}, {@code
 * ppml+https:}, {@code kbs+https:}, {@code ehsm+https:}) to a backend found through {@link
 * java.util.ServiceLoader}.
 *
 * <ul>
 *   <li>{@link org.ppml.crypto.kms.Kms}, the data plane every backend implements: generate a data
 *       key (plaintext and wrapped, or wrapped only) and unwrap one. A new backend needs only this.
 *   <li>Administration capabilities, implemented only by backends that can really do them: {@link
 *       org.ppml.crypto.kms.KeyAdministration} (create, list, disable), {@link
 *       org.ppml.crypto.kms.KeyRotation} (rotate, re-wrap) and {@link
 *       org.ppml.crypto.kms.KeyImport} (bring your own key).
 *   <li>{@link org.ppml.crypto.kms.ExplicitKeySource}: keys that files name by id.
 * </ul>
 *
 * Callers ask for a capability with {@link org.ppml.crypto.kms.KmsCapability#require}, which
 * reports a backend without it by reference and operation.
 *
 * <p>The hierarchy: a primary key (KEK) lives in the KMS and wraps data keys; a data key (DEK) is
 * stored only wrapped, in each file header; per-file keys come from HKDF with a random per-file
 * salt inside the body format.
 */
package org.ppml.crypto.kms;
