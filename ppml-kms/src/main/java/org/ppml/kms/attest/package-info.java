/**
 * The KBS 0.4.0 auth and attest steps: the attest body ({@link org.ppml.kms.attest.AttestRequest}),
 * single-use session nonces, the TEE public key, quote verification against collateral, the
 * REPORT_DATA binding of the runtime data, and the hand-off to the token issuer. Nothing here
 * releases a key; that is {@code org.ppml.kms.release}.
 */
package org.ppml.kms.attest;
