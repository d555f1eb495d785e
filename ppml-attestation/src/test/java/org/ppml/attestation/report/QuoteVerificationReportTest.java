package org.ppml.attestation.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ppml.attestation.TestVectors;
import org.ppml.attestation.collateral.CollateralBundle;
import org.ppml.attestation.dcap.QuoteVerifier;
import org.ppml.attestation.dcap.VerificationResult;
import org.ppml.attestation.policy.Policy;
import org.ppml.attestation.quote.Quote;

class QuoteVerificationReportTest {
  private static final List<String> CONTRACT_FIELDS =
      List.of(
          "verified",
          "teeType",
          "quoteVersion",
          "tcbStatus",
          "advisoryIds",
          "mrEnclave",
          "mrSigner",
          "isvProdId",
          "isvSvn",
          "debug",
          "reportData",
          "fmspc",
          "mrTd",
          "rtmr0",
          "rtmr1",
          "rtmr2",
          "rtmr3",
          "policy",
          "error");

  private static VerificationResult evaluate(TestVectors v) throws Exception {
    return QuoteVerifier.intel()
        .evaluate(v.quoteBytes(), CollateralBundle.parse(v.collateralBytes()), v.at);
  }

  @Test
  void verifiedSgxQuoteWithPolicy() throws Exception {
    QuoteVerificationReport report =
        new QuoteVerificationReport(
            evaluate(TestVectors.SGX_V3), Policy.defaults().evaluate(evaluate(TestVectors.SGX_V3)));
    ObjectNode json = report.toJson();
    for (String f : CONTRACT_FIELDS) {
      assertTrue(json.has(f), f);
    }
    assertTrue(json.get("verified").booleanValue());
    assertEquals("SGX", json.get("teeType").textValue());
    assertEquals(3, json.get("quoteVersion").intValue());
    assertEquals("ConfigurationAndSWHardeningNeeded", json.get("tcbStatus").textValue());
    assertEquals("INTEL-SA-00289", json.get("advisoryIds").get(0).textValue());
    assertEquals(
        "33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb",
        json.get("mrEnclave").textValue());
    assertEquals("00a067110000", json.get("fmspc").textValue());
    assertTrue(json.get("mrTd").isNull());
    assertTrue(json.get("error").isNull());
    assertFalse(json.get("policy").get("allowed").booleanValue());
    assertEquals(1, json.get("policy").get("violations").size());
    assertEquals(1, report.exitCode(), "verified but denied");
    assertEquals(0, new QuoteVerificationReport(evaluate(TestVectors.SGX_V3), null).exitCode());
  }

  @Test
  void failuresCarryCodeAndExitCode() throws Exception {
    QuoteVerificationReport report =
        new QuoteVerificationReport(evaluate(TestVectors.TDX_V5_OUTDATED), null);
    JsonNode json = report.toJson();
    assertFalse(json.get("verified").booleanValue());
    assertEquals("TCB_LEVEL", json.get("error").get("code").textValue());
    assertTrue(json.get("error").get("message").textValue().contains("no matching TCB level"));
    assertEquals("TDX", json.get("teeType").textValue());
    assertEquals(96, json.get("mrTd").textValue().length());
    assertEquals(1, report.exitCode());

    VerificationResult garbage =
        QuoteVerifier.intel()
            .evaluate(
                new byte[10],
                CollateralBundle.parse(TestVectors.SGX_V3.collateralBytes()),
                TestVectors.SGX_V3.at);
    QuoteVerificationReport bad = new QuoteVerificationReport(garbage, null);
    assertEquals("QUOTE_FORMAT", bad.toJson().get("error").get("code").textValue());
    assertEquals(2, bad.exitCode());
  }

  @Test
  void hexIsLowercase() throws Exception {
    String text =
        new QuoteVerificationReport(evaluate(TestVectors.TDX_V4), null).toJson().toString();
    assertFalse(text.matches("(?s).*\"[0-9A-F]*[A-F][0-9A-F]*\".*"), text);
  }

  @Test
  void quoteShowDescribesAllFields() throws Exception {
    JsonNode td = QuoteDescription.toJson(Quote.parse(TestVectors.TDX_V5_OUTDATED.quoteBytes()));
    for (String f :
        List.of(
            "mrTd",
            "rtmr3",
            "mrSeam",
            "mrSignerSeam",
            "tdAttributes",
            "xfam",
            "teeTcbSvn",
            "teeTcbSvn2",
            "mrServiceTd",
            "reportData")) {
      assertTrue(td.has(f), f);
    }
    JsonNode sgx = QuoteDescription.toJson(Quote.parse(TestVectors.SGX_V3.quoteBytes()));
    for (String f :
        List.of(
            "mrEnclave",
            "mrSigner",
            "isvProdId",
            "isvSvn",
            "cpuSvn",
            "miscSelect",
            "attributes",
            "configId")) {
      assertTrue(sgx.has(f), f);
    }
    assertEquals(15, sgx.get("headerPceSvn").intValue());
  }

  @Test
  void unreadableCollateralIsAnInputErrorWithTheSameShape() throws Exception {
    QuoteVerificationReport r;
    try {
      CollateralBundle.parse("{}");
      throw new AssertionError("must not parse");
    } catch (org.ppml.attestation.collateral.CollateralFormatException e) {
      r = QuoteVerificationReport.inputError(e);
    }
    assertEquals(2, r.exitCode());
    JsonNode json = r.toJson();
    for (String f : CONTRACT_FIELDS) {
      assertTrue(json.has(f), f);
    }
    assertEquals("COLLATERAL_FORMAT", json.get("error").get("code").textValue());
    java.util.Set<String> a = new java.util.TreeSet<>();
    json.fieldNames().forEachRemaining(a::add);
    java.util.Set<String> b = new java.util.TreeSet<>();
    new QuoteVerificationReport(evaluate(TestVectors.SGX_V3), null)
        .toJson()
        .fieldNames()
        .forEachRemaining(b::add);
    assertEquals(b, a);
  }

  @Test
  void facadeRunsTheWholeCommand() throws Exception {
    TestVectors v = TestVectors.SGX_V3;
    byte[] hexQuote =
        org.bouncycastle.util.encoders.Hex.toHexString(v.quoteBytes())
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] policy =
        "{\"allowedTcbStatuses\":[\"ConfigurationAndSWHardeningNeeded\"]}"
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    QuoteVerificationReport ok =
        QuoteVerification.run(hexQuote, v.collateralBytes(), policy, QuoteVerifier.intel(), v.at);
    assertEquals(0, ok.exitCode(), ok.toJson().toString());
    assertTrue(ok.toJson().get("policy").get("allowed").booleanValue());
    assertEquals(
        1,
        QuoteVerification.run(
                v.quoteBytes(),
                v.collateralBytes(),
                null,
                QuoteVerifier.intel(),
                v.windowEnd.plusSeconds(1))
            .exitCode());
    assertEquals(
        2,
        QuoteVerification.run(v.quoteBytes(), "{}".getBytes(), null, QuoteVerifier.intel(), v.at)
            .exitCode());
    assertEquals(
        2,
        QuoteVerification.run(
                v.quoteBytes(),
                v.collateralBytes(),
                "{\"x\":1}".getBytes(),
                QuoteVerifier.intel(),
                v.at)
            .exitCode());
  }
}
