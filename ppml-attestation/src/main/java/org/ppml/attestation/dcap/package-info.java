/**
 * DCAP quote verification in pure Java on Bouncy Castle and the JDK, modelled on Intel's QVL and
 * Phala's dcap-qvl.
 *
 * <p>{@link org.ppml.attestation.dcap.QuoteVerifier} runs the numbered steps of
 * docs/architecture.md as one method each. Every failure is a {@link
 * org.ppml.attestation.dcap.VerificationException} carrying the {@link
 * org.ppml.attestation.dcap.VerificationStep} that failed. Trust is anchored only in a {@link
 * org.ppml.attestation.dcap.PinnedRoot}: Intel's SGX Root CA by default, or a development root for
 * simulated SGX, which marks every result it produces as simulated.
 */
package org.ppml.attestation.dcap;
