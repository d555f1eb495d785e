/**
 * Evidence from inside a running Gramine enclave, through Gramine's {@code /dev/attestation}
 * pseudo-files: check that DCAP attestation is configured, write the 64-byte report data, read the
 * quote.
 *
 * <p>{@link org.ppml.graphene.attestation.GramineAttestationDevice} is the device access only;
 * {@link org.ppml.graphene.attestation.GramineEvidenceProvider} puts it behind the
 * evidence-provider SPI of {@code ppml-attestation} as the {@code gramine} provider, and its
 * factory (a {@code ServiceLoader} service) detects a Gramine enclave for {@code auto}. The device
 * root is a parameter so tests can use a fake directory, since no SGX device exists here.
 */
package org.ppml.graphene.attestation;
