package org.ppml.attestation.quote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ppml.attestation.TestVectors;
import org.ppml.attestation.dcap.CrlMode;
import org.ppml.attestation.dcap.PinnedRoot;
import org.ppml.attestation.dcap.QuoteVerifier;
import org.ppml.attestation.report.QuoteVerificationReport;

/**
 * Issue 13 §4: bytes outside the signed parts of a quote are refused, for SGX v3, TDX v4 and TDX
 * v5. Each mutation must give {@code QUOTE_FORMAT} at the offset of the first byte that is not
 * canonical, computed here from the public layout ({@link QuoteLayout}), not from the parser.
 */
class QuoteCanonicalEncodingTest {
  private static final TestVectors[] VECTORS = {
    TestVectors.SGX_V3, TestVectors.TDX_V4, TestVectors.TDX_V5_OUTDATED
  };

  private static void assertRefusedAt(byte[] quote, long offset, String what) {
    QuoteFormatException e =
        assertThrows(QuoteFormatException.class, () -> Quote.parse(quote), what);
    assertEquals("QUOTE_FORMAT", e.code(), what);
    assertEquals(offset, e.offset(), what + ": " + e.getMessage());
    assertTrue(e.getMessage().contains("at offset " + offset), e.getMessage());
  }

  private static byte[] set(byte[] b, int at, int value) {
    byte[] c = b.clone();
    c[at] = (byte) value;
    return c;
  }

  private static byte[] filled(int n, int value) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) value);
    return b;
  }

  @Test
  void theRealQuotesParseAndTheLayoutReadsThemTheSameWay() throws Exception {
    for (TestVectors v : VECTORS) {
      byte[] real = v.quoteBytes();
      QuoteLayout l = new QuoteLayout(real);
      Quote q = Quote.parse(real);
      assertArrayEquals(l.exact(), q.encoded(), v.name());
      assertArrayEquals(l.exact(), Quote.parse(l.exact()).encoded(), v.name());
      // Re-encoding with the same parts gives the same bytes: the helper is faithful.
      assertArrayEquals(l.exact(), l.with(l.certData(), new byte[0], new byte[0]), v.name());
      byte[] data = l.certData();
      assertEquals(0, data[data.length - 1], v + ": Intel's form ends in one NUL");
      assertEquals('\n', data[data.length - 2], v + ": after the last PEM line's \\n");
    }
  }

  @Test
  void theIssuesMutationsAreRefusedAtTheirOffset() throws Exception {
    for (TestVectors v : VECTORS) {
      byte[] real = v.quoteBytes();
      QuoteLayout l = new QuoteLayout(real);
      int end = l.sigDataEnd;
      Map<String, Map.Entry<byte[], Integer>> cases = new LinkedHashMap<>();
      cases.put("1 byte appended", Map.entry(QuoteLayout.concat(real, new byte[] {'A'}), end));
      cases.put("1 zero byte appended", Map.entry(QuoteLayout.concat(real, new byte[1]), end));
      cases.put("100 bytes appended", Map.entry(QuoteLayout.concat(real, filled(100, 'A')), end));
      cases.put("100 zeros appended", Map.entry(QuoteLayout.concat(real, new byte[100]), end));
      cases.put("quote twice", Map.entry(QuoteLayout.concat(real, real), end));
      cases.put(
          "certification data size minus one",
          Map.entry(
              putU32(real, l.certSizeAt, l.u32(l.certSizeAt) - 1),
              // The shortened chain ends in its last \n instead of the NUL.
              l.certDataEnd - 2));
      cases.put("NUL -> 0x01", Map.entry(set(real, l.certDataEnd - 1, 1), l.certDataEnd - 1));
      cases.put("NUL -> \\n", Map.entry(set(real, l.certDataEnd - 1, '\n'), l.certDataEnd - 1));
      cases.put(
          "final \\n -> 0x0b", Map.entry(set(real, l.certDataEnd - 2, 0x0b), l.certDataEnd - 2));
      for (Map.Entry<String, Map.Entry<byte[], Integer>> c : cases.entrySet()) {
        assertRefusedAt(c.getValue().getKey(), c.getValue().getValue(), v + ": " + c.getKey());
      }
    }
  }

  @Test
  void lengthConsistentReEncodingsOfTheChainAreRefused() throws Exception {
    for (TestVectors v : VECTORS) {
      QuoteLayout l = new QuoteLayout(v.quoteBytes());
      byte[] data = l.certData();
      int at = l.certDataAt;
      String pem = new String(data, 0, data.length - 1, StandardCharsets.US_ASCII);
      byte[] none = new byte[0];
      assertRefusedAt(
          l.with(Arrays.copyOf(data, data.length - 1), none, none),
          at + data.length - 2,
          v + ": no NUL");
      assertRefusedAt(
          l.with(QuoteLayout.concat(data, new byte[1]), none, none),
          at + data.length - 1,
          v + ": two NULs");
      assertRefusedAt(
          l.with(QuoteLayout.concat(data, new byte[] {'x'}), none, none),
          at + data.length,
          v + ": text after the NUL");
      assertRefusedAt(l.with(ascii("\n" + pem + "\0"), none, none), at, v + ": a blank line first");
      assertRefusedAt(
          l.with(ascii(pem.replace("\n", "\r\n") + "\0"), none, none),
          at + "-----BEGIN CERTIFICATE-----".length(),
          v + ": CRLF");
      assertRefusedAt(
          l.with(ascii(pem + "\n\0"), none, none), at + data.length - 1, v + ": extra blank line");
      assertRefusedAt(
          l.with(ascii(rewrapped(pem, 76) + "\0"), none, none),
          at + "-----BEGIN CERTIFICATE-----\n".length() + 64,
          v + ": 76-column base64");
      assertRefusedAt(
          l.with(ascii("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n\0"), none, none),
          at + "-----BEGIN CERTIFICATE-----\n".length(),
          v + ": an empty certificate");
      assertRefusedAt(l.with(new byte[] {0}, none, none), at, v + ": no certificate");
      // One byte inside the signature data after everything it holds.
      assertRefusedAt(l.with(data, none, new byte[1]), l.certDataEnd, v + ": byte in sigData");
      if (l.version > 3) {
        assertRefusedAt(
            l.with(data, new byte[1], none), l.certDataEnd, v + ": byte in the type-6 block");
      }
    }
  }

  @Test
  void nonZeroPaddingBitsInBase64AreRefused() throws Exception {
    QuoteLayout l = new QuoteLayout(TestVectors.SGX_V3.quoteBytes());
    String pem = new String(l.certData(), StandardCharsets.US_ASCII);
    // The last certificate's base64 ends in "I=" (its DER length is 2 mod 3): "J=" decodes to the
    // same bytes with a non-zero padding bit, so it is another encoding of the same chain.
    int last = pem.lastIndexOf("I=\n-----END CERTIFICATE-----");
    assertTrue(last > 0);
    byte[] other = ascii(pem.substring(0, last) + "J" + pem.substring(last + 1));
    assertArrayEquals(
        Base64.getMimeDecoder().decode(lastBody(pem)),
        Base64.getMimeDecoder().decode(lastBody(new String(other, StandardCharsets.US_ASCII))));
    assertRefusedAt(l.with(other, new byte[0], new byte[0]), l.certDataAt + last, "J=");
  }

  @Test
  void onlyTheTdQuoteLibrarysExactZeroPaddingFollowsATdxQuote() throws Exception {
    byte[] v4 = new QuoteLayout(TestVectors.TDX_V4.quoteBytes()).exact();
    assertEquals(70, TestVectors.TDX_V4.quoteBytes().length - v4.length, "the real vector");
    Quote.parse(QuoteLayout.concat(v4, new byte[70]));
    assertRefusedAt(QuoteLayout.concat(v4, new byte[69]), v4.length, "69 zeros");
    assertRefusedAt(QuoteLayout.concat(v4, new byte[71]), v4.length, "71 zeros");
    assertRefusedAt(QuoteLayout.concat(v4, set(new byte[70], 69, 1)), v4.length, "a non-zero");
    for (TestVectors v : new TestVectors[] {TestVectors.SGX_V3, TestVectors.TDX_V5_OUTDATED}) {
      // SGX quotes are sized exactly; a v5 TD 1.5 quote fills the buffer the library reserves.
      byte[] exact = new QuoteLayout(v.quoteBytes()).exact();
      assertRefusedAt(QuoteLayout.concat(exact, new byte[70]), exact.length, v + " + 70 zeros");
    }
  }

  /** Two more real TDX v4 quotes (dcap-qvl's samples, other platforms): the same 70 zeros. */
  @Test
  void otherRealTdxV4QuotesCarryTheSamePaddingAndParse() throws Exception {
    for (String name : new String[] {"quote-from-tappd.hex", "tdx-quote.hex"}) {
      byte[] file;
      try (var in = getClass().getResourceAsStream("/dcap-qvl-extra/" + name)) {
        file = QuoteEncoding.decodeFile(in.readAllBytes());
      }
      QuoteLayout l = new QuoteLayout(file);
      assertEquals(4, l.version, name);
      assertEquals(70, file.length - l.sigDataEnd, name);
      assertArrayEquals(new byte[70], Arrays.copyOfRange(file, l.sigDataEnd, file.length), name);
      assertArrayEquals(l.exact(), Quote.parse(file).encoded(), name);
      assertRefusedAt(QuoteLayout.concat(file, new byte[1]), l.sigDataEnd, name + " + 1");
    }
  }

  @Test
  void theVerifierReportsAMalformedQuoteAsAnInputError() throws Exception {
    TestVectors v = TestVectors.SGX_V3;
    QuoteVerificationReport r =
        new QuoteVerificationReport(
            new QuoteVerifier(PinnedRoot.intel(), CrlMode.STRICT)
                .evaluate(
                    QuoteLayout.concat(v.quoteBytes(), new byte[1]),
                    org.ppml.attestation.collateral.CollateralBundle.parse(v.collateralBytes()),
                    v.at),
            null);
    assertFalse(r.toJson().path("verified").asBoolean());
    assertEquals("QUOTE_FORMAT", r.toJson().path("error").path("code").asText());
    assertEquals(2, r.exitCode(), "a malformed quote is a parse error, not a verdict");
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] putU32(byte[] b, int at, long v) {
    byte[] c = b.clone();
    System.arraycopy(QuoteLayout.le32(v), 0, c, at, 4);
    return c;
  }

  private static String lastBody(String pem) {
    int b = pem.lastIndexOf("-----BEGIN CERTIFICATE-----\n") + 28;
    return pem.substring(b, pem.indexOf("-----END CERTIFICATE-----", b));
  }

  /** The same certificates with their base64 in lines of {@code width}. */
  private static String rewrapped(String pem, int width) {
    StringBuilder out = new StringBuilder();
    int pos = 0;
    while (pos < pem.length()) {
      int b = pem.indexOf("-----BEGIN CERTIFICATE-----\n", pos) + 28;
      int e = pem.indexOf("-----END CERTIFICATE-----\n", b);
      byte[] der = Base64.getMimeDecoder().decode(pem.substring(b, e));
      out.append("-----BEGIN CERTIFICATE-----\n")
          .append(Base64.getMimeEncoder(width, new byte[] {'\n'}).encodeToString(der))
          .append("\n-----END CERTIFICATE-----\n");
      pos = e + 26;
    }
    return out.toString();
  }
}
