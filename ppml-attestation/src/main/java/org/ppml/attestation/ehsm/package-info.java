/**
 * A client of Intel eHSM's KMS REST API (DESIGN.md §4, {@code ehsm+https}): the HMAC request
 * signature with eHSM's skip rules, and the actions PPML uses. eHSM does not bind a quote to a key
 * request, so it gives weaker guarantees than the PPML key broker; see
 * {@link org.ppml.attestation.ehsm.EhsmClient}.
 */
package org.ppml.attestation.ehsm;
