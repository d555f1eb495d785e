package org.ppml.attestation.quote;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The one encoding of a type-5 certification data block (the PCK certificate chain) that this
 * parser accepts: the form Intel's quote provider library writes.
 *
 * <p>Intel's QCNL builds the block as "leaf cert ‖ intermediate CA ‖ root CA ‖ '\0'" ({@code
 * certification_service.cpp}: {@code cert_data_size = pck_cert.size() + certchain.size() + 1}),
 * from the PEM the PCS serves. So the canonical form is one or more certificates, each exactly
 *
 * <pre>
 * -----BEGIN CERTIFICATE-----\n
 * base64 of the DER, in lines of 64 characters (the last 1..64), each ending in \n
 * -----END CERTIFICATE-----\n
 * </pre>
 *
 * followed by one NUL byte and nothing else: no CR, no blank line, no other text, base64 with zero
 * padding bits. Every real quote we hold has this form. Anything else would let the same chain be
 * carried by different bytes, and the chain is not covered by any signature over the quote.
 */
final class PemChainEncoding {
  private static final String BEGIN = "-----BEGIN CERTIFICATE-----\n";
  private static final String END = "-----END CERTIFICATE-----";
  private static final Base64.Encoder LINES =
      Base64.getMimeEncoder(64, new byte[] {'\n'}); // no separator after the last line

  private PemChainEncoding() {}

  /**
   * @param data the block's data
   * @param at the offset of {@code data} in the quote, for error messages
   * @throws QuoteFormatException naming the offset of the first byte that is not canonical
   */
  static void requireCanonical(byte[] data, int at, String field) throws QuoteFormatException {
    int nul = data.length - 1;
    if (data.length == 0 || data[nul] != 0) {
      throw new QuoteFormatException(
          field,
          at + Math.max(nul, 0),
          "the PEM certificate chain must end in one NUL byte, found "
              + (data.length == 0 ? "no data" : String.format("0x%02x", data[nul] & 0xff)));
    }
    for (int i = 0; i < nul; i++) {
      int c = data[i] & 0xff;
      if (c == 0 || c > 0x7e || (c < 0x20 && c != '\n')) {
        throw new QuoteFormatException(
            field,
            at + i,
            String.format(
                "byte 0x%02x in the PEM certificate chain (only printable ASCII and \\n)", c));
      }
    }
    String text = new String(data, 0, nul, StandardCharsets.US_ASCII);
    int pos = 0;
    int count = 0;
    while (pos < text.length() || count == 0) {
      pos = requireCertificate(text, pos, at, field);
      count++;
    }
  }

  /** Checks one PEM certificate starting at {@code pos}; returns where the next one starts. */
  private static int requireCertificate(String text, int pos, int at, String field)
      throws QuoteFormatException {
    int mismatch = mismatch(text, pos, BEGIN);
    if (mismatch >= 0) {
      throw new QuoteFormatException(
          field, at + mismatch, "expected \"-----BEGIN CERTIFICATE-----\\n\"");
    }
    int bodyStart = pos + BEGIN.length();
    int end = text.indexOf(END, bodyStart);
    if (end < 0) {
      throw new QuoteFormatException(
          field, at + pos, "the certificate has no \"-----END CERTIFICATE-----\" line");
    }
    int next = end + END.length() + 1;
    if (next > text.length() || text.charAt(next - 1) != '\n') {
      throw new QuoteFormatException(
          field, at + next - 1, "\"-----END CERTIFICATE-----\" must be followed by \\n");
    }
    byte[] der;
    try {
      der = Base64.getDecoder().decode(text.substring(bodyStart, end).replace("\n", ""));
    } catch (IllegalArgumentException e) {
      throw new QuoteFormatException(field, at + bodyStart, "the certificate is not base64");
    }
    if (der.length == 0) {
      throw new QuoteFormatException(field, at + bodyStart, "the certificate is empty");
    }
    String canonical = BEGIN + LINES.encodeToString(der) + "\n" + END + "\n";
    int diff = mismatch(text.substring(0, next), pos, canonical);
    if (diff >= 0 || next - pos != canonical.length()) {
      int where = diff >= 0 ? diff : pos + Math.min(canonical.length(), next - pos);
      throw new QuoteFormatException(
          field,
          at + where,
          "the certificate is not in canonical PEM (base64 in lines of 64 characters, each ending"
              + " in \\n, no padding bits)");
    }
    return next;
  }

  /** The index in {@code text} of the first character differing from {@code expected}, or -1. */
  private static int mismatch(String text, int pos, String expected) {
    for (int i = 0; i < expected.length(); i++) {
      if (pos + i >= text.length() || text.charAt(pos + i) != expected.charAt(i)) {
        return pos + i;
      }
    }
    return -1;
  }
}
