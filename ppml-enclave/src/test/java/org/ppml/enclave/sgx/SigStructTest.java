package org.ppml.enclave.sgx;

import static org.junit.jupiter.api.Assertions.*;

import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SigStructTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void fortanixSigningReproducesSig1ByteForByte() throws Exception {
    byte[] expected = TestVectors.read("sigstruct/fortanix-sig1/sig1.sigstruct.bin");
    var key =
        EnclaveKeyPem.readPrivateKey(TestVectors.read("sigstruct/fortanix-sig1/sig1.key.pem"));
    SigStructBody body =
        SigStructBody.builder()
            .enclaveHash(
                HEX.parseHex("c50673624a6cb17c1c6c2a4e6906f47a170c4629b8723781d1017ef376f1a75d"))
            .date(LocalDate.of(2016, 1, 9))
            .miscSelect(0)
            .miscMask(0xffffffffL)
            .attributes(new SgxAttributes(0x4, 0x3))
            .attributeMask(new SgxAttributes(0xfffffffffffffffdL, 0xffffffffffffff1bL))
            .isvProdId(0)
            .isvSvn(0)
            .build();
    SigStruct signed = SigStructSigner.sign(body, key);
    assertArrayEquals(expected, signed.toBytes());

    SigStruct parsed = SigStruct.parse(expected);
    assertEquals(
        "83d719e77deaca1470f6baf62a4d774303c899db69020f9c70ee1dfc08c7ce9e",
        parsed.mrSigner().hex());
    assertTrue(parsed.mrSigner().isIntelSdkSampleKey());
    assertTrue(parsed.signatureValid());
    assertTrue(parsed.q1q2Valid());
    assertFalse(parsed.debug());
    assertTrue(parsed.productionSignedWithSampleKey(), "non-debug + sample key must be flagged");
    assertEquals(MrSigner.of(EnclaveKeyPem.publicKeyOf(key)), parsed.mrSigner());
  }

  @Test
  void intelLaunchEnclaveFields() throws Exception {
    SigStruct le = SigStruct.parse(TestVectors.read("sigstruct/intel-le/le_prod_css.bin"));
    assertEquals(0x8086, le.vendor());
    assertEquals(LocalDate.of(2024, 8, 11), le.date().orElseThrow());
    assertEquals(0x24, le.attributes().flags());
    assertEquals(0x20, le.isvProdId());
    assertEquals(7, le.isvSvn());
    assertEquals(
        "7881af9f9def547da9908c008f29cde9bd78064e36ac7e14c83c294ca4806150",
        HEX.formatHex(le.enclaveHash()));
    assertEquals(
        "acb77012053e05a63d413b8bbae8fb6c5d73b3f2996d91c43bbbf90959c0f8d4", le.mrSigner().hex());
    assertTrue(le.signatureValid());
    assertTrue(le.q1q2Valid());
    assertEquals(3, le.exponent());
    assertFalse(le.debug());
    assertFalse(le.productionSignedWithSampleKey());
    assertTrue(le.attributes().flagNames().contains("einittokenKey"));
  }

  @Test
  void gramineSigFields() throws Exception {
    SigStruct sig = SigStruct.parse(TestVectors.read("sigstruct/gramine-v1.9-a/a.sig"));
    assertEquals(
        "9e4eb3845bb3f1dd465ec59130b7bf0f9d445a2de892e8560be6acec39235757",
        HEX.formatHex(sig.enclaveHash()));
    assertEquals(
        "901ee2acd0383cd601ff5db8d01e5656ebc36e51f35c92e735ec0690ae94d365", sig.mrSigner().hex());
    assertEquals(LocalDate.of(2025, 1, 31), sig.date().orElseThrow());
    assertEquals(1, sig.isvProdId());
    assertEquals(2, sig.isvSvn());
    assertTrue(sig.debug());
    assertEquals(SigStructBody.MISCSELECT_EXINFO, sig.miscSelect());
    assertEquals(0xffffffffL, sig.miscMask());
    assertEquals(new SgxAttributes(0x6, 0x3), sig.attributes());
    assertEquals(new SgxAttributes(-1L, SigStructBody.DEFAULT_XFRM_MASK), sig.attributeMask());
    assertEquals(0, sig.vendor());
    assertTrue(sig.signatureValid());
    assertTrue(sig.q1q2Valid());
  }

  @Test
  void roundTripKeepsEveryByte() throws Exception {
    for (String f :
        new String[] {
          "sigstruct/intel-le/le_prod_css.bin",
          "sigstruct/gramine-v1.9-a/a.sig",
          "sigstruct/fortanix-sig1/sig1.sigstruct.bin"
        }) {
      byte[] b = TestVectors.read(f);
      assertArrayEquals(b, SigStruct.parse(b).toBytes(), f);
      SigStruct parsed = SigStruct.parse(b);
      assertEquals(parsed.body(), SigStructBody.parse(parsed.signedData()), f);
    }
  }

  @Test
  void tamperingAnySignedByteInvalidatesTheSignature() throws Exception {
    byte[] good = TestVectors.read("sigstruct/gramine-v1.9-a/a.sig");
    assertTrue(SigStruct.inspect(good).headerValid());
    int[] signedOffsets =
        IntStream.concat(IntStream.range(0, 128), IntStream.range(900, 1028)).toArray();
    assertEquals(256, signedOffsets.length, "every signed byte");
    for (int off : signedOffsets) {
      byte[] bad = good.clone();
      bad[off] ^= 0x01;
      // inspect, since parse refuses a changed header before anything else is looked at.
      SigStruct s = SigStruct.inspect(bad);
      assertFalse(s.signatureValid(), "flip at " + off);
      boolean inHeader = off < 16 || (off >= 24 && off < 40);
      assertEquals(!inHeader, s.headerValid(), "flip at " + off);
    }
    byte[] badSig = good.clone();
    badSig[600] ^= 0x01;
    assertFalse(SigStruct.parse(badSig).signatureValid());
    assertFalse(SigStruct.parse(badSig).q1q2Valid());
    byte[] badQ1 = good.clone();
    badQ1[1100] ^= 0x01;
    assertTrue(SigStruct.parse(badQ1).signatureValid());
    assertFalse(SigStruct.parse(badQ1).q1q2Valid());
    byte[] badExponent = good.clone();
    badExponent[512] = 5;
    assertFalse(SigStruct.parse(badExponent).signatureValid());
  }

  @Test
  void hostileInputsGiveTypedErrors() throws Exception {
    byte[] good = TestVectors.read("sigstruct/gramine-v1.9-a/a.sig");
    SigStructFormatException e =
        assertThrows(
            SigStructFormatException.class,
            () -> SigStruct.parse(java.util.Arrays.copyOf(good, 1807)));
    assertEquals("length", e.field());
    assertThrows(SigStructFormatException.class, () -> SigStruct.parse(new byte[0]));
    assertThrows(SigStructFormatException.class, () -> SigStruct.parse(null));
    assertThrows(
        SigStructFormatException.class, () -> SigStruct.parse(java.util.Arrays.copyOf(good, 4096)));

    byte[] badHeader = good.clone();
    badHeader[4] = 0;
    e = assertThrows(SigStructFormatException.class, () -> SigStruct.parse(badHeader));
    assertEquals("header", e.field());
    assertEquals(0, e.offset());
    assertTrue(e.getMessage().contains("offset 0"));

    byte[] badHeader2 = good.clone();
    badHeader2[30] = 1;
    e = assertThrows(SigStructFormatException.class, () -> SigStruct.parse(badHeader2));
    assertEquals("header2", e.field());
    assertEquals(24, e.offset());

    Random random = new Random(42);
    for (int i = 0; i < 200; i++) {
      byte[] junk = new byte[SigStruct.SIZE];
      random.nextBytes(junk);
      assertThrows(SigStructFormatException.class, () -> SigStruct.parse(junk));
      // inspect reads any 1808 bytes and judges them: wrong headers, no valid signature.
      SigStruct inspected = SigStruct.inspect(junk);
      assertFalse(inspected.headerValid());
      assertFalse(inspected.signatureValid());
      assertThrows(
          IllegalStateException.class, inspected::body, "its fields must not be signed again");
      SigStructReport.show(inspected);
      // With valid headers, random content parses but never verifies, and never throws.
      System.arraycopy(good, 0, junk, 0, 16);
      System.arraycopy(good, 24, junk, 24, 16);
      SigStruct s = SigStruct.parse(junk);
      assertFalse(s.signatureValid());
      assertFalse(s.q1q2Valid());
      s.date();
      s.attributes().flagNames();
    }
    byte[] zeroModulus = good.clone();
    java.util.Arrays.fill(zeroModulus, 128, 512, (byte) 0);
    assertFalse(SigStruct.parse(zeroModulus).signatureValid());
    assertFalse(SigStruct.parse(zeroModulus).q1q2Valid());
  }

  @Test
  void inspectOnlyRequiresTheLength() throws Exception {
    byte[] good = TestVectors.read("sigstruct/gramine-v1.9-a/a.sig");
    assertEquals(SigStruct.parse(good), SigStruct.inspect(good));
    assertEquals(
        "length",
        assertThrows(
                SigStructFormatException.class,
                () -> SigStruct.inspect(java.util.Arrays.copyOf(good, 1807)))
            .field());
    assertThrows(
        SigStructFormatException.class,
        () -> SigStruct.inspect(java.util.Arrays.copyOf(good, 1809)));
    assertThrows(SigStructFormatException.class, () -> SigStruct.inspect(null));
  }

  /** A signature is no excuse for wrong headers: EINIT checks both, and so does headerValid. */
  @Test
  void aValidlySignedSigStructWithAWrongHeaderIsStillRefused() throws Exception {
    byte[] data = SigStruct.parse(TestVectors.read("sigstruct/gramine-v1.9-a/a.sig")).signedData();
    data[26] ^= 0x01; // HEADER2
    var key =
        EnclaveKeyPem.readPrivateKey(TestVectors.read("sigstruct/gramine-v1.9-a/enclave-key.pem"));
    byte[] signed = SigStructSigner.sign(SigStructBody.wrap(data), key).toBytes();
    SigStruct s = SigStruct.inspect(signed);
    assertTrue(s.signatureValid(), "the signature itself holds");
    assertTrue(s.q1q2Valid());
    assertFalse(s.headerValid());
    assertEquals(false, SigStructReport.show(s).get("headerValid"));
    assertEquals(
        "header2",
        assertThrows(SigStructFormatException.class, () -> SigStruct.parse(signed)).field());
  }

  @Test
  void miscSelectBitsAreNamed() throws Exception {
    assertEquals(List.of(), SigStructReport.miscSelectNames(0));
    assertEquals(
        List.of("exinfo"), SigStructReport.miscSelectNames(SigStructBody.MISCSELECT_EXINFO));
    assertEquals(List.of("exinfo", "bit1", "bit31"), SigStructReport.miscSelectNames(0x80000003L));
    // The real vectors: Gramine sets use_exinfo, the Fortanix sample does not.
    assertEquals(
        List.of("exinfo"),
        SigStructReport.show(SigStruct.parse(TestVectors.read("sigstruct/gramine-v1.9-a/a.sig")))
            .get("miscSelectNames"));
    assertEquals(
        List.of(),
        SigStructReport.show(
                SigStruct.parse(TestVectors.read("sigstruct/fortanix-sig1/sig1.sigstruct.bin")))
            .get("miscSelectNames"));
  }

  @Test
  void showAndPolicyJsonFields() throws Exception {
    SigStruct sig = SigStruct.parse(TestVectors.read("sigstruct/gramine-v1.9-a/a.sig"));
    var show = SigStructReport.show(sig);
    assertEquals(
        List.of(
            "mrEnclave",
            "mrSigner",
            "isvProdId",
            "isvSvn",
            "debug",
            "date",
            "dateRaw",
            "vendor",
            "miscSelect",
            "miscSelectNames",
            "miscMask",
            "attributes",
            "attributeMask",
            "swDefined",
            "exponent",
            "headerValid",
            "signatureValid",
            "q1q2Valid",
            "intelSdkSampleKey",
            "productionSignedWithSampleKey"),
        List.copyOf(show.keySet()));
    assertEquals(true, show.get("headerValid"));
    assertEquals("2025-01-31", show.get("date"));
    assertEquals("00000001", show.get("miscSelect"));
    assertEquals(true, show.get("signatureValid"));
    @SuppressWarnings("unchecked")
    var attrs = (java.util.Map<String, Object>) show.get("attributes");
    assertEquals("0000000000000006", attrs.get("flags"));
    assertEquals(List.of("debug", "mode64bit"), attrs.get("flagNames"));
    assertEquals(List.of("x87", "sse"), attrs.get("xfrmFeatures"));
    var policy = SigStructReport.policy(sig);
    assertEquals(
        List.of("9e4eb3845bb3f1dd465ec59130b7bf0f9d445a2de892e8560be6acec39235757"),
        policy.get("mrEnclave"));
    assertEquals(2, policy.get("minIsvSvn"));
    assertEquals(true, policy.get("allowDebug"));
    var sample =
        SigStructReport.show(
            SigStruct.parse(TestVectors.read("sigstruct/fortanix-sig1/sig1.sigstruct.bin")));
    assertEquals(true, sample.get("productionSignedWithSampleKey"));
    assertEquals(
        "00008086",
        SigStructReport.show(
                SigStruct.parse(TestVectors.read("sigstruct/intel-le/le_prod_css.bin")))
            .get("vendor"));
  }

  @Test
  void attributesNotation() {
    SgxAttributes a = new SgxAttributes(0xfffffffffffffffdL, 0x3);
    assertEquals(a, SgxAttributes.parse(a.hex()));
    assertEquals(new SgxAttributes(4, 3), SgxAttributes.parse("0x4:0x3"));
    for (String bad : new String[] {"", "4", "4:3:2", "g:3", "4:", "11111111111111111:3", "-1:3"}) {
      assertThrows(IllegalArgumentException.class, () -> SgxAttributes.parse(bad), bad);
    }
    assertThrows(IllegalArgumentException.class, () -> SgxAttributes.parse(null));
  }

  @Test
  void bcdDate() {
    assertEquals(0x20250131L, BcdDate.encode(LocalDate.of(2025, 1, 31)));
    assertEquals(LocalDate.of(2016, 1, 9), BcdDate.decode(0x20160109L).orElseThrow());
    assertTrue(BcdDate.decode(0x2016010aL).isEmpty());
    assertTrue(BcdDate.decode(0x20161399L).isEmpty());
    assertTrue(BcdDate.decode(0xffffffffL).isEmpty());
  }
}
