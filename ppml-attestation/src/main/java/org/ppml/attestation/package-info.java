/**
 * Attestation: everything needed to decide whether a piece of TEE evidence comes from an enclave we
 * trust.
 *
 * <p>Holds the SGX quote v3 and TDX quote v4/v5 model, DCAP verification against collateral (PCK
 * chain, CRLs, TCB Info, QE Identity), key-release policies, the evidence-provider SPI with its
 * simulated SGX provider for Stage 1, the SIGSTRUCT model shared by Gramine and Occlum, and the
 * client side of the key-broker protocol (KBS 0.4.0 plus the PPML extension) and of eHSM. See
 * docs/architecture.md and docs/enclave-signing.md. It depends on ppml-crypto only, never on Spark
 * or the broker server.
 */
package org.ppml.attestation;
