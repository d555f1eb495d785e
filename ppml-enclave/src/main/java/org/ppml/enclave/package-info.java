/**
 * Enclave identity and build tooling that does not depend on a LibOS: {@link org.ppml.enclave.sgx}
 * (SIGSTRUCT, MRENCLAVE from an SGXS stream, MRSIGNER, enclave signing keys). Gramine ({@code
 * graphene}), Occlum and the CLI's {@code ppml enclave} commands build on it, and ppml-attestation
 * uses its MRSIGNER for simulated quotes. It depends on ppml-crypto and Bouncy Castle only. See
 * docs/architecture.md and docs/enclave-signing.md.
 */
package org.ppml.enclave;
