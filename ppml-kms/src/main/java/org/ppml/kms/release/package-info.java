/**
 * Attestation-bound release: a data key or resource leaves the broker only after the key's policy
 * held for the token's verified claims, and only as a JWE encrypted to the TEE key bound in that
 * token. Releases and denials are audited; key bytes are zeroed after use.
 */
package org.ppml.kms.release;
