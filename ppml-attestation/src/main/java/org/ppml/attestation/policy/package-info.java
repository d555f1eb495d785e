/**
 * Key-release policies (docs/architecture.md): which verified evidence is acceptable.
 *
 * <p>A {@link org.ppml.attestation.policy.Policy} is parsed strictly (unknown fields are errors, so
 * a misspelt constraint never silently loosens it) and evaluated against a {@code
 * VerificationResult}, returning every violation rather than the first. The default policy is
 * strict: no debug enclaves, {@code UpToDate} only, no simulated evidence.
 */
package org.ppml.attestation.policy;
