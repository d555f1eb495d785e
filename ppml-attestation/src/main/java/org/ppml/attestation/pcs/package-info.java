/**
 * Fetching collateral from an Intel PCS or a PCCS (API v4) over {@code java.net.http}, with a disk
 * cache keyed by TEE type, FMSPC and PCK CA that refreshes before the collateral's {@code
 * nextUpdate}.
 *
 * <p>Everything fetched is untrusted: responses are size-bounded and parsed strictly, the exact
 * signed JSON text is kept, and only {@code QuoteVerifier} decides whether to believe it.
 */
package org.ppml.attestation.pcs;
