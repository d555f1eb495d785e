/**
 * Client for Intel eHSM-KMS, the {@code ehsm+https://} backend of the {@code Kms} SPI.
 *
 * <p>The protocol: {@code POST /ehsm?Action=NAME} with a JSON body {@code {appid, timestamp,
 * payload, sign}}, where {@code sign = base64(HMAC-SHA256(apiKey, canonical))} and the canonical
 * string is the request's non-empty parameters sorted by name, {@code k=v} joined by {@code &},
 * nested objects rendered the same way ({@link org.ppml.attestation.ehsm.EhsmRequestSigner}). The
 * 13-digit millisecond timestamp doubles as the replay nonce. Failures arrive as HTTP 200 with a
 * body {@code code} other than 200.
 *
 * <p><b>What eHSM does not give you.</b> eHSM's {@code VerifyQuote} checks a quote against an
 * uploaded MRENCLAVE/MRSIGNER policy and echoes the caller's nonce, but the nonce is not bound into
 * the quote's REPORT_DATA, and {@code Decrypt} is never gated on a verified quote: whoever holds
 * the app id and API key can unwrap every data key. With this backend, attestation is advisory.
 * Use the PPML key broker ({@code ppml+https://}) when keys must reach only attested enclaves.
 */
package org.ppml.attestation.ehsm;
