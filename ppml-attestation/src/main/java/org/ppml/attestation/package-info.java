/**
 * Attestation: everything needed to decide whether a piece of TEE evidence comes from an enclave we
 * trust.
 *
 * <p>Holds the SGX quote v3 and TDX quote v4/v5 model, DCAP verification against collateral (PCK
 * chain, CRLs, TCB Info, QE Identity), key-release policies, and the evidence-provider SPI with its
 * simulated SGX provider for Stage 1 and the TDX configfs provider. It depends on ppml-crypto and
 * ppml-enclave (for MRSIGNER) only, never on Spark, a key service or the broker server. The clients
 * of key services live in ppml-kms-client; SIGSTRUCT and enclave measurement in ppml-enclave. See
 * docs/architecture.md.
 */
package org.ppml.attestation;
