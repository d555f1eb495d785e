package org.ppml.attestation.dcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.ppml.attestation.TestVectors;
import org.ppml.attestation.collateral.CollateralBundle;
import org.ppml.attestation.collateral.TcbInfo;
import org.ppml.attestation.collateral.TcbLevel;
import org.ppml.attestation.collateral.TcbStatus;
import org.ppml.attestation.quote.Quote;
import org.ppml.attestation.quote.TdReport;

/** TCB level selection and status convergence on edited (unsigned) TCB Info: the logic alone. */
class TcbEvaluationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String reorder(String raw, boolean reverse) throws Exception {
    ObjectNode o = (ObjectNode) JSON.readTree(raw);
    List<JsonNode> levels = new ArrayList<>();
    o.get("tcbLevels").forEach(levels::add);
    if (reverse) {
      Collections.reverse(levels);
    } else {
      Collections.shuffle(levels, new java.util.Random(7));
    }
    ArrayNode a = o.putArray("tcbLevels");
    levels.forEach(a::add);
    return o.toString();
  }

  @Test
  void levelsAreSortedNotTakenInJsonOrder() throws Exception {
    TestVectors v = TestVectors.SGX_V3;
    CollateralBundle b = CollateralBundle.parse(v.collateralBytes());
    SgxExtensions pck = PckCertificate.fromQuote(Quote.parse(v.quoteBytes())).extensions();
    for (boolean reverse : new boolean[] {true, false}) {
      TcbLevel l =
          PlatformTcbMatcher.match(
              TcbInfo.parse(reorder(b.tcbInfo().rawJson(), reverse)), pck, null);
      assertEquals(TcbStatus.ConfigurationAndSWHardeningNeeded, l.status());
    }
  }

  /**
   * TCB Info JSON with component {@code index} of the level with {@code status} set to {@code svn}.
   */
  private static String withComponent(
      String raw, String status, String components, int index, int svn) throws Exception {
    ObjectNode o = (ObjectNode) JSON.readTree(raw);
    int edited = 0;
    for (JsonNode level : o.get("tcbLevels")) {
      if (level.get("tcbStatus").asText().equals(status)) {
        ((ObjectNode) level.get("tcb").get(components).get(index)).put("svn", svn);
        edited++;
      }
    }
    assertTrue(edited > 0, "no level " + status);
    return o.toString();
  }

  @Test
  void svnsCompareUnsigned() throws Exception {
    TestVectors v = TestVectors.SGX_V3;
    String raw = CollateralBundle.parse(v.collateralBytes()).tcbInfo().rawJson();
    SgxExtensions pck = PckCertificate.fromQuote(Quote.parse(v.quoteBytes())).extensions();
    assertEquals(255, pck.cpuSvnComponent(4));
    assertEquals(11, pck.cpuSvnComponent(0));

    // Certificate 255 against levels asking 127: met. As signed bytes 255 would be -1 < 127.
    String lower = raw.replace("{\"svn\":255}", "{\"svn\":127}");
    assertTrue(!lower.equals(raw));
    assertEquals(
        TcbStatus.ConfigurationAndSWHardeningNeeded,
        PlatformTcbMatcher.match(TcbInfo.parse(lower), pck, null).status());

    // Certificate 11 against the matching level now asking 200: not met, so the next level down
    // decides. As signed bytes 200 would be -56 <= 11, and the level would wrongly match.
    String higher =
        withComponent(raw, "ConfigurationAndSWHardeningNeeded", "sgxtcbcomponents", 0, 200);
    assertEquals(
        TcbStatus.OutOfDateConfigurationNeeded,
        PlatformTcbMatcher.match(TcbInfo.parse(higher), pck, null).status());
  }

  @Test
  void teeTcbSvnComparesUnsigned() throws Exception {
    TestVectors v = TestVectors.TDX_V4;
    String raw = CollateralBundle.parse(v.collateralBytes()).tcbInfo().rawJson();
    byte[] quote = v.quoteBytes();
    SgxExtensions pck = PckCertificate.fromQuote(Quote.parse(quote)).extensions();
    // TEE_TCB_SVN is the first field of the TD report, right after the 48-byte header:
    // 06 01 03 00..., and both levels ask 02 for byte 2.
    assertEquals(3, quote[48 + 2]);

    // Byte 2 raised to 131: still meets 2 (as a signed byte it would be -125 < 2).
    byte[] high = quote.clone();
    high[48 + 2] = (byte) 131;
    TdReport td = (TdReport) Quote.parse(high).body();
    assertEquals(
        TcbStatus.UpToDate, PlatformTcbMatcher.match(TcbInfo.parse(raw), pck, td).status());

    // The UpToDate level asking 200 for byte 2: the vector's 3 does not meet it, so the OutOfDate
    // level decides (as a signed byte 200 would be -56 and wrongly be met).
    TdReport original = (TdReport) Quote.parse(quote).body();
    String higher = withComponent(raw, "UpToDate", "tdxtcbcomponents", 2, 200);
    assertEquals(
        TcbStatus.OutOfDate,
        PlatformTcbMatcher.match(TcbInfo.parse(higher), pck, original).status());
  }

  /** The start of the vector's TDX_01 module identity, with these SEAM attributes and mask. */
  private static String tdx01Identity(String attributes, String mask) {
    return "\"id\":\"TDX_01\",\"mrsigner\":\""
        + "00".repeat(48)
        + "\",\"attributes\":\""
        + attributes
        + "\",\"attributesMask\":\""
        + mask
        + "\"";
  }

  @Test
  void seamAttributesAreComparedUnderTheirMask() throws Exception {
    TestVectors v = TestVectors.TDX_V4;
    String raw = CollateralBundle.parse(v.collateralBytes()).tcbInfo().rawJson();
    TdReport td = (TdReport) Quote.parse(v.quoteBytes()).body();
    assertEquals("0000000000000000", Hex.toHexString(td.seamAttributes()));
    String tdx01 = tdx01Identity("0000000000000000", "FFFFFFFFFFFFFFFF");
    assertTrue(raw.contains(tdx01), "the TDX_01 identity as the vector spells it");

    String other = raw.replace(tdx01, tdx01Identity("0100000000000000", "FFFFFFFFFFFFFFFF"));
    VerificationException e =
        assertThrows(
            VerificationException.class, () -> TdxModuleMatcher.match(TcbInfo.parse(other), td));
    assertEquals(VerificationStep.TDX_MODULE, e.step());
    assertTrue(e.getMessage().contains("SEAMATTRIBUTES"), e.getMessage());

    // The same bit outside the mask is ignored.
    String masked = raw.replace(tdx01, tdx01Identity("0100000000000000", "FEFFFFFFFFFFFFFF"));
    assertEquals(
        TcbStatus.UpToDate,
        TdxModuleMatcher.match(TcbInfo.parse(masked), td).orElseThrow().status());
  }

  @Test
  void tdxModuleIdentityDecidesAndConverges() throws Exception {
    TestVectors v = TestVectors.TDX_V4;
    String raw = CollateralBundle.parse(v.collateralBytes()).tcbInfo().rawJson();
    TdReport td = (TdReport) Quote.parse(v.quoteBytes()).body();
    assertEquals(
        TcbStatus.UpToDate, TdxModuleMatcher.match(TcbInfo.parse(raw), td).orElseThrow().status());

    // TDX_01 level isvsvn 4 → 7: module SVN 6 now only meets the OutOfDate level 2.
    String outdated = raw.replace("{\"isvsvn\":4}", "{\"isvsvn\":7}");
    TcbStatus module = TdxModuleMatcher.match(TcbInfo.parse(outdated), td).orElseThrow().status();
    assertEquals(TcbStatus.OutOfDate, module);
    assertEquals(TcbStatus.OutOfDate, TcbStatusConvergence.converge(TcbStatus.UpToDate, module));

    String noIdentity = raw.replace("\"TDX_01\"", "\"TDX_07\"");
    VerificationException e =
        assertThrows(
            VerificationException.class,
            () -> TdxModuleMatcher.match(TcbInfo.parse(noIdentity), td));
    assertEquals(VerificationStep.TDX_MODULE, e.step());
    assertTrue(e.getMessage().contains("TDX_01"));

    String otherSigner =
        raw.replaceFirst(
            "\"id\":\"TDX_01\",\"mrsigner\":\"0000", "\"id\":\"TDX_01\",\"mrsigner\":\"0100");
    assertTrue(!otherSigner.equals(raw));
    assertEquals(
        VerificationStep.TDX_MODULE,
        assertThrows(
                VerificationException.class,
                () -> TdxModuleMatcher.match(TcbInfo.parse(otherSigner), td))
            .step());
  }

  @Test
  void statusConvergenceFollowsQvl() {
    assertEquals(
        TcbStatus.OutOfDate,
        TcbStatusConvergence.converge(TcbStatus.SWHardeningNeeded, TcbStatus.OutOfDate));
    assertEquals(
        TcbStatus.OutOfDateConfigurationNeeded,
        TcbStatusConvergence.converge(
            TcbStatus.ConfigurationAndSWHardeningNeeded, TcbStatus.OutOfDate));
    assertEquals(
        TcbStatus.Revoked, TcbStatusConvergence.converge(TcbStatus.UpToDate, TcbStatus.Revoked));
    assertEquals(
        TcbStatus.ConfigurationNeeded,
        TcbStatusConvergence.converge(TcbStatus.ConfigurationNeeded, TcbStatus.UpToDate));
  }
}
