package org.ppml.attestation.evidence;

import java.security.MessageDigest;
import org.ppml.attestation.quote.Quote;
import org.ppml.attestation.quote.QuoteFormatException;
import org.ppml.attestation.quote.TeeType;

/**
 * Turns the raw bytes a TEE interface returned into {@link Evidence}, after checking that they are
 * a quote of the expected TEE that binds the requested report data.
 *
 * <p>Every hardware provider goes through here because the interfaces are shared state: another
 * writer between our write of the report data and our read of the quote (or a stale quote left in a
 * pseudo-file) would otherwise hand the caller a quote for someone else's key.
 */
public final class QuoteEvidence {
  private QuoteEvidence() {}

  /**
   * @param provider the provider name recorded in the evidence
   * @param expected the TEE the interface serves
   * @param quote the bytes the interface returned
   * @param reportData the 64 bytes that were requested
   * @param source where the bytes came from, for error messages (a path or a device)
   * @throws EvidenceException if the bytes are not a quote, are of another TEE, or bind other data
   */
  public static Evidence of(
      String provider, TeeType expected, byte[] quote, byte[] reportData, String source)
      throws EvidenceException {
    Quote parsed;
    try {
      parsed = Quote.parse(quote);
    } catch (QuoteFormatException e) {
      throw new EvidenceException(source + " did not return a quote: " + e.getMessage(), e);
    }
    if (parsed.teeType() != expected) {
      throw new EvidenceException(
          source + " returned a " + parsed.teeType() + " quote, expected " + expected);
    }
    if (!MessageDigest.isEqual(parsed.body().reportData(), reportData)) {
      throw new EvidenceException(
          source
              + " returned a quote for other report data"
              + " (another writer raced this one, or the quote is stale)");
    }
    return new Evidence(expected, quote, provider);
  }

  /**
   * @throws EvidenceException unless {@code reportData} is exactly {@link
   *     EvidenceProvider#REPORT_DATA_SIZE} bytes
   */
  public static void checkReportData(byte[] reportData) throws EvidenceException {
    if (reportData == null || reportData.length != EvidenceProvider.REPORT_DATA_SIZE) {
      throw new EvidenceException(
          "report data must be exactly " + EvidenceProvider.REPORT_DATA_SIZE + " bytes");
    }
  }
}
