/**
 * Simulated SGX for Stage 1 (docs/evidence-providers.md): a development PKI shaped like Intel's
 * (root CA, PCK CA and a PCK leaf with the SGX extension, a TCB signing key), signed collateral,
 * and real-format v3 quotes signed through that chain, with DEBUG always set.
 *
 * <p>Nothing here is trusted by default. Simulated quotes verify through the very same {@code
 * QuoteVerifier} as real ones, but only when the verifier pins the development root. A dev root is
 * recognised by its subject however it is pinned, and marks the result simulated so that a policy
 * without {@code allowSimulated} rejects it. Private keys live only in the dev home (0700
 * directory, 0600 files, written atomically) and are never logged or printed.
 */
package org.ppml.attestation.simulated;
