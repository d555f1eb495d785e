/**
 * The evidence-provider SPI (docs/evidence-providers.md): given 64 bytes of report data, a provider
 * returns evidence, the quote bytes plus the TEE type.
 *
 * <p>Providers are found through {@link org.ppml.attestation.evidence.EvidenceProviderFactory}
 * services and picked by {@link org.ppml.attestation.evidence.EvidenceProviders}: by name, or by
 * {@code auto} detection that falls back to simulated evidence only in dev mode. Factories for
 * Gramine ({@code /dev/attestation}) and Occlum ({@code /dev/sgx}) live with the enclave tooling
 * modules; this module ships {@code tdx} (configfs-tsm, {@code org.ppml.attestation.tdx}) and
 * {@code simulated} ({@code org.ppml.attestation.simulated}). Hardware providers check through
 * {@link org.ppml.attestation.evidence.QuoteEvidence} that what the TEE returned is a quote binding
 * the requested report data.
 */
package org.ppml.attestation.evidence;
