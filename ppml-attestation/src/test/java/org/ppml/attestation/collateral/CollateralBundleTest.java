package org.ppml.attestation.collateral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.ppml.attestation.TestVectors;

class CollateralBundleTest {

  @Test
  void parsesSgxTcbInfoAndQeIdentity() throws Exception {
    CollateralBundle b = CollateralBundle.parse(TestVectors.SGX_V3.collateralBytes());
    TcbInfo t = b.tcbInfo();
    assertEquals("SGX", t.id());
    assertEquals(3, t.version());
    assertEquals("00a067110000", Hex.toHexString(t.fmspc()));
    assertEquals(Instant.parse("2025-07-19T10:56:11Z"), t.nextUpdate());
    assertEquals(17, t.tcbEvaluationDataNumber());
    assertEquals(TcbStatus.SWHardeningNeeded, t.tcbLevels().get(0).status());
    assertEquals(255, t.tcbLevels().get(0).sgxComponent(4), "SVNs are unsigned");
    assertNull(t.tdxModule());
    QeIdentity q = b.qeIdentity();
    assertEquals("QE", q.id());
    assertEquals(0xFFFFFFFFL, q.miscSelectMask());
    assertEquals(1, q.isvProdId());
    assertEquals(64, b.tcbInfoSignature().length);
    assertTrue(b.rootCaCrl().length > 100);
  }

  @Test
  void parsesTdxModuleIdentities() throws Exception {
    TcbInfo t = CollateralBundle.parse(TestVectors.TDX_V4.collateralBytes()).tcbInfo();
    assertTrue(t.isTdx());
    assertNotNull(t.tdxModule());
    assertEquals(2, t.tdxModuleIdentities().size());
    assertEquals("TDX_03", t.tdxModuleIdentities().get(0).id());
    assertTrue(t.tcbLevels().get(0).hasTdxComponents());
    assertEquals(5, t.tcbLevels().get(0).tdxComponent(0));
  }

  @Test
  void parsesTcbInfoV2() throws Exception {
    StringBuilder comps = new StringBuilder();
    for (int i = 1; i <= 16; i++) {
      comps.append(String.format("\"sgxtcbcomp%02dsvn\":%d,", i, i == 1 ? 200 : 0));
    }
    String v2 =
        "{\"version\":2,\"issueDate\":\"2020-01-01T00:00:00Z\",\"nextUpdate\":\"2020-02-01T00:00:00Z\","
            + "\"fmspc\":\"00906ED50000\",\"pceId\":\"0000\",\"tcbType\":0,\"tcbEvaluationDataNumber\":5,"
            + "\"tcbLevels\":[{\"tcb\":{"
            + comps
            + "\"pcesvn\":7},\"tcbDate\":\"2019-11-13T00:00:00Z\","
            + "\"tcbStatus\":\"OutOfDate\"}]}";
    TcbInfo t = TcbInfo.parse(v2);
    assertEquals("SGX", t.id());
    assertEquals(200, t.tcbLevels().get(0).sgxComponent(0));
    assertEquals(7, t.tcbLevels().get(0).pceSvn());
  }

  @Test
  void roundTripsAndKeepsTheRawText() throws Exception {
    CollateralBundle b = CollateralBundle.parse(TestVectors.TDX_V4.collateralBytes());
    CollateralBundle again = CollateralBundle.parse(b.toJson().toString());
    assertEquals(b.tcbInfo().rawJson(), again.tcbInfo().rawJson());
    assertEquals(b.qeIdentity().rawJson(), again.qeIdentity().rawJson());
  }

  private static ObjectNode sgxJson() throws Exception {
    return CollateralBundle.parse(TestVectors.SGX_V3.collateralBytes()).toJson();
  }

  @Test
  void malformedBundlesAreTypedErrorsNamingTheField() throws Exception {
    assertThrows(CollateralFormatException.class, () -> CollateralBundle.parse("not json"));
    assertThrows(CollateralFormatException.class, () -> CollateralBundle.parse("[]"));
    assertThrows(CollateralFormatException.class, () -> CollateralBundle.parse((byte[]) null));
    assertThrows(
        CollateralFormatException.class,
        () -> CollateralBundle.parse(new byte[] {(byte) 0xff, '{'}));
    assertThrows(
        CollateralFormatException.class,
        () -> CollateralBundle.parse(new byte[CollateralBundle.MAX_SIZE + 1]));
    for (String field :
        new String[] {
          "tcb_info_issuer_chain",
          "tcb_info",
          "tcb_info_signature",
          "qe_identity_issuer_chain",
          "qe_identity",
          "qe_identity_signature"
        }) {
      ObjectNode o = sgxJson();
      o.remove(field);
      CollateralFormatException e =
          assertThrows(
              CollateralFormatException.class, () -> CollateralBundle.parse(o.toString()), field);
      assertTrue(e.getMessage().contains(field), e.getMessage());
    }
    ObjectNode o = sgxJson();
    o.put("tcb_info_signature", "00");
    assertThrows(CollateralFormatException.class, () -> CollateralBundle.parse(o.toString()));
    o.put("tcb_info_signature", "zz".repeat(64));
    assertThrows(CollateralFormatException.class, () -> CollateralBundle.parse(o.toString()));
  }

  /** Issue 13 §1: archived collateral may carry no CRL fields; the bundle itself allows that. */
  @Test
  void revocationFieldsMayBeAbsentOrEmptyAndAreNamedAsMissing() throws Exception {
    assertEquals(List.of(), CollateralBundle.parse(sgxJson().toString()).missingRevocationFields());
    List<String> fields = CollateralBundle.REVOCATION_FIELDS;
    for (int mask = 1; mask < 8; mask++) {
      ObjectNode absent = sgxJson();
      ObjectNode empty = sgxJson();
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        if ((mask & 1 << i) != 0) {
          absent.remove(fields.get(i));
          empty.put(fields.get(i), "");
          expected.add(fields.get(i));
        }
      }
      CollateralBundle a = CollateralBundle.parse(absent.toString());
      assertEquals(expected, a.missingRevocationFields(), absent.fieldNames().toString());
      assertEquals(expected, CollateralBundle.parse(empty.toString()).missingRevocationFields());
      // What a bundle lacks, its JSON leaves out, so the PCCS cache writes back what it read.
      for (String f : expected) {
        assertFalse(a.toJson().has(f), f);
      }
      assertEquals(absent, a.toJson());
      assertEquals(
          a.tcbInfo().rawJson(), CollateralBundle.parse(a.toJson().toString()).tcbInfo().rawJson());
    }
    // Present, they must still be well formed.
    for (String f : new String[] {"root_ca_crl", "pck_crl"}) {
      ObjectNode o = sgxJson();
      o.put(f, "xyz");
      CollateralFormatException e =
          assertThrows(CollateralFormatException.class, () -> CollateralBundle.parse(o.toString()));
      assertTrue(e.getMessage().contains("bundle." + f), e.getMessage());
      o.put(f, 7);
      assertThrows(CollateralFormatException.class, () -> CollateralBundle.parse(o.toString()), f);
    }
  }

  @Test
  void malformedTcbInfoIsATypedError() throws Exception {
    String raw = CollateralBundle.parse(TestVectors.SGX_V3.collateralBytes()).tcbInfo().rawJson();
    String[] bad = {
      raw.replace("\"version\":3", "\"version\":4"),
      raw.replace("\"SWHardeningNeeded\"", "\"Fine\""),
      raw.replaceFirst("\\{\"svn\":11\\},", ""),
      raw.replaceFirst("\"svn\":11", "\"svn\":256"),
      raw.replaceFirst("\"svn\":11", "\"svn\":-1"),
      raw.replaceFirst("\"svn\":11", "\"svn\":\"11\""),
      raw.replace("\"fmspc\":\"00A067110000\"", "\"fmspc\":\"00A0671100\""),
      raw.replace("2025-06-19T10:56:11Z", "yesterday"),
      raw.replace("\"id\":\"SGX\"", "\"id\":\"SGX\",\"id\":\"TDX\""),
      raw.replaceFirst("\"tcbLevels\":\\[", "\"tcbLevels\":[[],"),
      "{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}",
    };
    for (String b : bad) {
      assertThrows(
          CollateralFormatException.class,
          () -> TcbInfo.parse(b),
          b.length() > 80 ? b.substring(0, 80) : b);
    }
    CollateralFormatException e =
        assertThrows(
            CollateralFormatException.class,
            () -> QeIdentity.parse("{\"id\":\"QE\",\"version\":2}"));
    assertTrue(e.getMessage().contains("qeIdentity.issueDate"), e.getMessage());
  }
}
