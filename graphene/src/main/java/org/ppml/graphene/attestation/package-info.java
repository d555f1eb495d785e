/**
 * Evidence from inside a running Gramine enclave, through Gramine's {@code /dev/attestation}
 * pseudo-files: check that DCAP attestation is configured, write the 64-byte report data, read
 * the quote.
 *
 * <p>{@link org.ppml.graphene.attestation.GramineAttestationDevice} is the device access only; it
 * is meant to sit behind the evidence-provider SPI of {@code ppml-attestation} as the
 * {@code gramine} provider. It takes the device root as a parameter so tests can use a fake
 * directory, since no SGX device exists here.
 */
package org.ppml.graphene.attestation;
