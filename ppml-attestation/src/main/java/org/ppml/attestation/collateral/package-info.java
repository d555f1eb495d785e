/**
 * DCAP collateral: the bundle of CRLs, issuer chains, TCB Info and QE Identity that a quote is
 * verified against (docs/architecture.md, the field names of Intel's {@code
 * sgx_ql_qve_collateral_t} as dcap-qvl writes them).
 *
 * <p>The bundle keeps the exact raw JSON text of TCB Info and QE Identity, because Intel's
 * signatures cover those bytes; the parsed views ({@link org.ppml.attestation.collateral.TcbInfo},
 * {@link org.ppml.attestation.collateral.QeIdentity}) are only trusted once the verifier has
 * checked those signatures. Every parser bounds sizes and counts and fails with {@link
 * org.ppml.attestation.collateral.CollateralFormatException}.
 */
package org.ppml.attestation.collateral;
