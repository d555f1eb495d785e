/**
 * The evidence-provider SPI (DESIGN.md §5): given 64 bytes of report data, a provider returns
 * evidence, the quote bytes plus the TEE type.
 *
 * <p>Providers for Gramine ({@code /dev/attestation}), Occlum ({@code /dev/sgx}) and TDX
 * (configfs-tsm) live with the enclave tooling; this module ships the simulated SGX provider
 * ({@code org.ppml.attestation.simulated}) for Stage 1.
 */
package org.ppml.attestation.evidence;
