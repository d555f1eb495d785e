package org.ppml.attestation.quote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.ppml.attestation.QuoteSurgery;
import org.ppml.attestation.TestVectors;

class QuoteParserTest {

  @Test
  void parsesSgxV3Fields() throws Exception {
    Quote q = Quote.parse(TestVectors.SGX_V3.quoteBytes());
    assertEquals(3, q.version());
    assertEquals(TeeType.SGX, q.teeType());
    assertEquals(15, q.header().pceSvn());
    EnclaveReport r = (EnclaveReport) q.body();
    assertEquals(
        "33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb",
        Hex.toHexString(r.mrEnclave()));
    assertEquals(
        "815f42f11cf64430c30bab7816ba596a1da0130c3b028b673133a66cf9a3e0e6",
        Hex.toHexString(r.mrSigner()));
    assertFalse(r.debug());
    assertEquals(0, r.isvProdId());
    // Expected values read from the vector with xxd at the SGX REPORT body offsets (body at 48):
    // CPUSVN 0..16, MISCSELECT 16..20 (little-endian), ATTRIBUTES 48..64 (flags, then XFRM).
    assertEquals("0b0b1a18ffff04000000000000000000", Hex.toHexString(r.cpuSvn()));
    assertEquals(0, r.miscSelect());
    assertEquals("0500000000000000e700000000000000", Hex.toHexString(r.attributes()));
    assertEquals(64, r.configId().length);
    assertTrue(new String(r.reportData(), StandardCharsets.US_ASCII).startsWith("Hello, world!"));
    assertEquals(48 + 384, q.signedRegion().length);
    assertEquals(10, q.qeCertificationData().qeReport().isvSvn());
    // The QE report (at 48 + 384 + 4 + 128 = 564): INIT | PROVISIONKEY | MODE64BIT, same CPUSVN.
    EnclaveReport qe = q.qeCertificationData().qeReport();
    assertEquals("1500000000000000e700000000000000", Hex.toHexString(qe.attributes()));
    assertEquals("0b0b1a18ffff04000000000000000000", Hex.toHexString(qe.cpuSvn()));
    assertEquals(0, qe.miscSelect());
    assertEquals(
        CertificationData.TYPE_PCK_CERT_CHAIN, q.qeCertificationData().certificationData().type());
    String pem = q.qeCertificationData().certificationData().pckCertChainPem();
    assertTrue(pem.endsWith("-----END CERTIFICATE-----\n"), "trailing NUL is stripped");
  }

  @Test
  void parsesTdxV4AndItsTdQuoteLibraryPadding() throws Exception {
    byte[] bytes = TestVectors.TDX_V4.quoteBytes();
    Quote q = Quote.parse(bytes);
    assertEquals(4, q.version());
    assertEquals(TeeType.TDX, q.teeType());
    TdReport td = (TdReport) q.body();
    assertFalse(td.isTd15());
    assertEquals(
        "91eb2b44d141d4ece09f0c75c2c53d247a3c68edd7fafe8a3520c942a604a407de03ae6dc5f87f27428b2538873118b7",
        Hex.toHexString(td.mrTd()));
    assertEquals("06010300000000000000000000000000", Hex.toHexString(td.teeTcbSvn()));
    assertEquals(48, td.mrSeam().length);
    // TD report offsets (report at 48): SEAMATTRIBUTES 112..120, TDATTRIBUTES 120..128, XFAM
    // 128..136.
    assertEquals("0000000000000000", Hex.toHexString(td.seamAttributes()));
    assertEquals("0000001000000000", Hex.toHexString(td.tdAttributes()));
    assertEquals("e702060000000000", Hex.toHexString(td.xfam()));
    assertFalse(td.debug(), "TDATTRIBUTES bit 0 is clear");
    assertNull(td.mrServiceTd());
    assertEquals(48 + 584, q.signedRegion().length);
    // The vector carries the 70 zero bytes Intel's TD quote library reserves for a v5 TD 1.5
    // quote; the quote itself ends before them, and parses the same without them.
    assertEquals(bytes.length - 70, q.encoded().length);
    assertArrayEquals(q.encoded(), Quote.parse(q.encoded()).encoded());
    assertThrows(
        QuoteFormatException.class, () -> Quote.parse(Arrays.copyOf(bytes, bytes.length + 1000)));
  }

  @Test
  void parsesV5Td15AndSignsTheDescriptor() throws Exception {
    Quote q = Quote.parse(TestVectors.TDX_V5_OUTDATED.quoteBytes());
    assertEquals(5, q.version());
    TdReport td = (TdReport) q.body();
    assertTrue(td.isTd15());
    // v5: the TD 1.5 report follows the 6-byte body descriptor, at 54.
    assertEquals("07010300000000000000000000000000", Hex.toHexString(td.teeTcbSvn()));
    assertEquals("0000001000000000", Hex.toHexString(td.tdAttributes()));
    assertEquals("e718060000000000", Hex.toHexString(td.xfam()));
    assertEquals(16, td.teeTcbSvn2().length);
    assertEquals(48, td.mrServiceTd().length);
    assertEquals(
        48 + 6 + 648, q.signedRegion().length, "the v5 signed region includes the body descriptor");
  }

  @Test
  void everyTruncationIsATypedError() {
    for (TestVectors v : TestVectors.values()) {
      byte[] full = v.quoteBytes();
      int end = Quote.MAX_SIZE;
      try {
        Quote q = Quote.parse(full);
        end = q.signedRegion().length + 4 + signatureDataLength(full, q.signedRegion().length);
      } catch (QuoteFormatException e) {
        throw new AssertionError(e);
      }
      for (int n = 0; n < full.length; n++) {
        byte[] cut = Arrays.copyOf(full, n);
        if (n != end) {
          QuoteFormatException e =
              assertThrows(
                  QuoteFormatException.class, () -> Quote.parse(cut), v + " truncated to " + n);
          assertTrue(e.getMessage().contains(" at offset "), e.getMessage());
        } else {
          assertDoesNotThrow(() -> Quote.parse(cut));
        }
      }
      assertDoesNotThrow(() -> Quote.parse(full), v + " in full");
    }
  }

  private static int signatureDataLength(byte[] q, int at) {
    return (int)
        ((q[at] & 0xffL)
            | (q[at + 1] & 0xffL) << 8
            | (q[at + 2] & 0xffL) << 16
            | (q[at + 3] & 0xffL) << 24);
  }

  @Test
  void oversizedLengthFieldsNameTheField() {
    byte[] sgx = TestVectors.SGX_V3.quoteBytes();
    QuoteFormatException e =
        assertThrows(
            QuoteFormatException.class,
            () -> Quote.parse(QuoteSurgery.putU32(sgx, QuoteSurgery.V3_SIG_LEN_AT, 0xffffffffL)));
    assertEquals("signature_data.size", e.field());
    assertEquals(QuoteSurgery.V3_SIG_LEN_AT, e.offset());

    e =
        assertThrows(
            QuoteFormatException.class,
            () -> Quote.parse(QuoteSurgery.putU16(sgx, QuoteSurgery.V3_AUTH_LEN_AT, 0xffff)));
    assertEquals("signature_data.qe_auth_data.size", e.field());

    int certSizeAt = QuoteSurgery.v3CertTypeAt(sgx) + 2;
    e =
        assertThrows(
            QuoteFormatException.class,
            () -> Quote.parse(QuoteSurgery.putU32(sgx, certSizeAt, 0x7fffffff)));
    assertEquals("signature_data.certification_data.size", e.field());

    byte[] v5 = TestVectors.TDX_V5_OUTDATED.quoteBytes();
    e =
        assertThrows(
            QuoteFormatException.class, () -> Quote.parse(QuoteSurgery.putU32(v5, 50, 584)));
    assertEquals("body.size", e.field());
    e = assertThrows(QuoteFormatException.class, () -> Quote.parse(QuoteSurgery.putU16(v5, 48, 9)));
    assertEquals("body.type", e.field());
    e =
        assertThrows(
            QuoteFormatException.class,
            () -> Quote.parse(QuoteSurgery.putU32(QuoteSurgery.putU16(v5, 48, 1), 50, 384)));
    assertTrue(e.getMessage().contains("does not match TEE type"), e.getMessage());

    byte[] v4 = TestVectors.TDX_V4.quoteBytes();
    int outerTypeAt = 48 + 584 + 4 + 128;
    e =
        assertThrows(
            QuoteFormatException.class, () -> Quote.parse(QuoteSurgery.putU16(v4, outerTypeAt, 5)));
    assertTrue(e.getMessage().contains("unsupported certification data type 5"), e.getMessage());
    e =
        assertThrows(
            QuoteFormatException.class,
            () -> Quote.parse(QuoteSurgery.putU32(v4, outerTypeAt + 2, 1 << 30)));
    assertEquals("signature_data.certification_data.size", e.field());
  }

  @Test
  void unsupportedHeaderValuesAreNamed() {
    byte[] sgx = TestVectors.SGX_V3.quoteBytes();
    QuoteFormatException e =
        assertThrows(QuoteFormatException.class, () -> Quote.parse(QuoteSurgery.putU16(sgx, 0, 2)));
    assertEquals("header.version", e.field());
    e = assertThrows(QuoteFormatException.class, () -> Quote.parse(QuoteSurgery.putU16(sgx, 2, 3)));
    assertEquals("header.att_key_type", e.field());
    byte[] tdx = TestVectors.TDX_V4.quoteBytes();
    e =
        assertThrows(
            QuoteFormatException.class, () -> Quote.parse(QuoteSurgery.putU32(tdx, 4, 0x42)));
    assertEquals("header.tee_type", e.field());
    assertThrows(QuoteFormatException.class, () -> Quote.parse(null));
    assertThrows(QuoteFormatException.class, () -> Quote.parse(new byte[Quote.MAX_SIZE + 1]));
  }

  @Test
  void otherCertificationDataTypesAreReportedExplicitly() throws Exception {
    byte[] q = QuoteSurgery.v3WithCertData(TestVectors.SGX_V3.quoteBytes(), 3, new byte[384]);
    Quote parsed = Quote.parse(q);
    QuoteFormatException e =
        assertThrows(
            QuoteFormatException.class,
            () -> parsed.qeCertificationData().certificationData().pckCertChainPem());
    assertTrue(e.getMessage().contains("unsupported certification data type 3"), e.getMessage());
  }

  @Test
  void hexTextQuotesAreDecoded() throws Exception {
    byte[] bin = TestVectors.SGX_V3.quoteBytes();
    byte[] hexFile = ("0x" + Hex.toHexString(bin) + "\n").getBytes(StandardCharsets.US_ASCII);
    assertArrayEquals(bin, QuoteEncoding.decodeFile(hexFile));
    assertArrayEquals(bin, QuoteEncoding.decodeFile(bin));
  }
}
