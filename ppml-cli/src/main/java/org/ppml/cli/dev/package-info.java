/**
 * {@code ppml dev init}: Stage 1's stand-in for SGX hardware and Intel's services
 * (docs/evidence-providers.md).
 *
 * <p>The dev home holds a development PKI shaped like Intel's, a QE attestation key, an enclave key
 * and collateral signed by the dev TCB signing key. {@link org.ppml.cli.dev.DevHomeOption} locates
 * it for every command that uses it ({@code dev init}, {@code quote simulate}, {@code quote verify
 * --dev}).
 */
package org.ppml.cli.dev;
