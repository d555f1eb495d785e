/**
 * The DCAP quote model: SGX quote v3, TDX quote v4 and quote v5 (SGX, TD 1.0 and TD 1.5 bodies).
 *
 * <p>Quotes are untrusted bytes. {@link org.ppml.attestation.quote.Quote#parse(byte[])} walks them
 * by their own length fields, checks every length against the bytes that remain before using it,
 * and reports any malformation as a {@link org.ppml.attestation.quote.QuoteFormatException} naming
 * the field and its offset. It accepts one encoding only: every length filled exactly, the PCK
 * chain in Intel's PEM form, nothing after the signature data but the zero padding Intel's TD quote
 * library leaves after TDX quotes. Parsing proves nothing about authenticity; that is the job of
 * {@code org.ppml.attestation.dcap.QuoteVerifier}.
 */
package org.ppml.attestation.quote;
