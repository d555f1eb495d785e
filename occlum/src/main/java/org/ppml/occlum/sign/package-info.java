/**
 * Two-step signing for Occlum (docs/enclave-signing.md): an adapter for {@code occlum build
 * --sign-tool} so that the enclave key never reaches the build host.
 *
 * <p>Occlum calls its sign tool as Intel's {@code sgx_sign sign -key -config -enclave -out} ({@link
 * org.ppml.occlum.sign.SgxSignInvocation}). The adapter ({@link
 * org.ppml.occlum.sign.OcclumTwoStepSigner}) turns that one call into {@code gendata}, an offline
 * signature exchanged through a directory, and a verified {@code catsig}, running Intel's {@code
 * sgx_sign} ({@link org.ppml.occlum.sign.SgxSignTool}) for the two steps that need the SGX SDK's
 * enclave layout. {@link org.ppml.occlum.sign.SignToolScript} writes the executable Occlum is
 * pointed at.
 */
package org.ppml.occlum.sign;
