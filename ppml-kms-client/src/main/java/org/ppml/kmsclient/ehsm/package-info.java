/**
 * Client for Intel eHSM-KMS, the {@code ehsm+https://} backend of the {@code Kms} SPI.
 *
 * <p>The protocol: {@code POST /ehsm?Action=NAME} with a JSON body {@code {appid, timestamp,
 * payload, sign}}, where {@code sign = base64(HMAC-SHA256(apiKey, canonical))} and the canonical
 * string is the request's non-empty parameters sorted by name, {@code k=v} joined by {@code &},
 * nested objects rendered the same way ({@link org.ppml.kmsclient.ehsm.EhsmRequestSigner}). The
 * 13-digit millisecond timestamp doubles as the replay nonce. Failures arrive as HTTP 200 with a
 * body {@code code} other than 200.
 *
 * <p><b>Attestation.</b> Without {@code policyId} in the URI, this backend does no attestation at
 * all: it asks eHSM for data keys with the app id and API key alone. With {@code policyId} and an
 * evidence provider, it first checks its own enclave with eHSM's {@code VerifyQuote} ({@link
 * org.ppml.kmsclient.ehsm.EhsmSelfAttestation}): eHSM compares the quote's MRENCLAVE/MRSIGNER with
 * the uploaded policy, and the backend refuses to request keys unless the verdict is positive and
 * echoes the nonce it sent. That verdict is renewed every ten minutes.
 *
 * <p><b>What eHSM does not give you.</b> eHSM echoes the caller's nonce but does not check that the
 * quote's REPORT_DATA binds it, and {@code Decrypt} is never gated on a verified quote: whoever
 * holds the app id and API key can unwrap every data key, from inside an enclave or not, with or
 * without calling {@code VerifyQuote}. The check above is a self-check that this backend performs
 * on itself, not a release gate that eHSM enforces; with this backend, attestation is advisory. Use
 * the PPML key broker ({@code ppml+https://}) when keys must reach only attested enclaves.
 */
package org.ppml.kmsclient.ehsm;
