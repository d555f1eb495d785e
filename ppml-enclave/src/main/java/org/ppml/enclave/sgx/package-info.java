/**
 * SGX enclave identity structures: the SIGSTRUCT, MRSIGNER and the MRENCLAVE measurement.
 *
 * <p>This is the part of enclave build and signing (docs/enclave-signing.md) that does not depend
 * on a particular LibOS, so Gramine ({@code graphene}) and Occlum share it:
 *
 * <ul>
 *   <li>{@link org.ppml.enclave.sgx.SigStruct} parses and writes the 1808-byte SIGSTRUCT, and
 *       checks its signature and q1/q2;
 *   <li>{@link org.ppml.enclave.sgx.SigStructBody} holds the 256 signed bytes, which is also what
 *       two-step signing hands to an offline HSM;
 *   <li>{@link org.ppml.enclave.sgx.SigStructSigner} signs directly with a key, or assembles a
 *       SIGSTRUCT from a signature made elsewhere (after verifying it);
 *   <li>{@link org.ppml.enclave.sgx.EnclaveSigningKey} and {@link
 *       org.ppml.enclave.sgx.EnclaveKeyPem} create, check and encode the RSA-3072, e=3 signing key;
 *   <li>{@link org.ppml.enclave.sgx.EnclaveMeasurement} streams ECREATE/EADD/EEXTEND records into
 *       SHA-256, and {@link org.ppml.enclave.sgx.SgxsReader} measures a Fortanix SGXS stream with
 *       it.
 * </ul>
 *
 * <p>Every parser here takes untrusted bytes: lengths are checked before anything is allocated, and
 * failures are typed ({@link org.ppml.enclave.sgx.SigStructFormatException}, {@link
 * org.ppml.enclave.sgx.SgxsFormatException}, {@link org.ppml.enclave.sgx.EnclaveKeyException}).
 * Private key material never appears in messages or {@code toString()}.
 */
package org.ppml.enclave.sgx;
