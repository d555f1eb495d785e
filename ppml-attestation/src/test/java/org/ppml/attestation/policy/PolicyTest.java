package org.ppml.attestation.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ppml.attestation.TestVectors;
import org.ppml.attestation.collateral.CollateralBundle;
import org.ppml.attestation.dcap.QuoteVerifier;
import org.ppml.attestation.dcap.VerificationResult;

class PolicyTest {
  private static final String SGX_MRENCLAVE =
      "33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb";
  private static final String SGX_MRSIGNER =
      "815f42f11cf64430c30bab7816ba596a1da0130c3b028b673133a66cf9a3e0e6";
  private static final String TDX_MRTD =
      "91eb2b44d141d4ece09f0c75c2c53d247a3c68edd7fafe8a3520c942a604a407de03ae6dc5f87f27428b2538873118b7";
  static VerificationResult sgx;
  static VerificationResult tdx;

  @BeforeAll
  static void verify() throws Exception {
    TestVectors s = TestVectors.SGX_V3;
    sgx =
        QuoteVerifier.intel()
            .verify(s.quoteBytes(), CollateralBundle.parse(s.collateralBytes()), s.at);
    TestVectors t = TestVectors.TDX_V4;
    tdx =
        QuoteVerifier.intel()
            .verify(t.quoteBytes(), CollateralBundle.parse(t.collateralBytes()), t.at);
  }

  private static Policy policy(String json) throws PolicyFormatException {
    return Policy.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static Set<String> fields(PolicyDecision d) {
    return d.violations().stream().map(PolicyViolation::field).collect(Collectors.toSet());
  }

  @Test
  void defaultPolicyIsStrict() {
    PolicyDecision d = Policy.defaults().evaluate(sgx);
    assertFalse(d.allowed());
    assertEquals(Set.of("allowedTcbStatuses"), fields(d), d.violations().toString());
    assertTrue(Policy.defaults().evaluate(tdx).allowed(), "TDX vector is UpToDate and not debug");
  }

  @Test
  void matchingPolicyAllows() throws Exception {
    Policy p =
        policy(
            "{\"mrEnclave\":[\""
                + SGX_MRENCLAVE.toUpperCase()
                + "\"],\"mrSigner\":\""
                + SGX_MRSIGNER
                + "\",\"isvProdId\":0,\"minIsvSvn\":0,"
                + "\"allowedTcbStatuses\":[\"UpToDate\",\"ConfigurationAndSWHardeningNeeded\"],"
                + "\"allowedAdvisoryIds\":[\"INTEL-SA-00289\",\"intel-sa-00615\"],\"minTcbEvaluationDataNumber\":17}");
    PolicyDecision d = p.evaluate(sgx);
    assertTrue(d.allowed(), d.violations().toString());
    Policy t = policy("{\"mrTd\":\"" + TDX_MRTD + "\"}");
    assertTrue(t.evaluate(tdx).allowed(), t.evaluate(tdx).violations().toString());
  }

  @Test
  void evaluationCollectsEveryViolation() throws Exception {
    Policy p =
        policy(
            "{\"mrEnclave\":[\""
                + "00".repeat(32)
                + "\"],\"mrSigner\":\""
                + "11".repeat(32)
                + "\",\"isvProdId\":7,\"minIsvSvn\":3,\"allowedTcbStatuses\":[\"UpToDate\"],"
                + "\"allowedAdvisoryIds\":[\"INTEL-SA-00289\"],\"minTcbEvaluationDataNumber\":18}");
    PolicyDecision d = p.evaluate(sgx);
    assertFalse(d.allowed());
    assertEquals(
        Set.of(
            "mrEnclave",
            "mrSigner",
            "isvProdId",
            "minIsvSvn",
            "allowedTcbStatuses",
            "allowedAdvisoryIds",
            "minTcbEvaluationDataNumber"),
        fields(d),
        d.violations().toString());
    assertTrue(d.violations().stream().anyMatch(v -> v.message().contains("INTEL-SA-00615")));
  }

  @Test
  void tdxConstraintsCollectEveryRtmr() throws Exception {
    String zero48 = "00".repeat(48);
    Policy p =
        policy(
            "{\"mrTd\":\""
                + zero48
                + "\",\"rtmr0\":\""
                + zero48
                + "\",\"rtmr1\":\""
                + zero48
                + "\",\"rtmr2\":\""
                + zero48
                + "\",\"rtmr3\":\""
                + zero48
                + "\"}");
    Set<String> f = fields(p.evaluate(tdx));
    assertTrue(f.contains("mrTd"));
    // RTMRs that happen to be zero in the vector match; the others are listed.
    assertTrue(f.size() >= 2, f.toString());
    assertFalse(
        policy("{\"mrTd\":\"" + TDX_MRTD + "\"}").evaluate(sgx).allowed(),
        "a TDX policy rejects SGX");
    assertFalse(policy("{\"mrEnclave\":[\"" + SGX_MRENCLAVE + "\"]}").evaluate(tdx).allowed());
  }

  @Test
  void unverifiedEvidenceIsNeverAllowed() throws Exception {
    TestVectors v = TestVectors.TDX_V5_OUTDATED;
    VerificationResult r =
        QuoteVerifier.intel()
            .evaluate(v.quoteBytes(), CollateralBundle.parse(v.collateralBytes()), v.at);
    PolicyDecision d =
        policy("{\"allowedTcbStatuses\":[\"OutOfDate\"],\"allowDebug\":true}").evaluate(r);
    assertFalse(d.allowed());
    assertTrue(fields(d).contains("verified"));
  }

  @Test
  void malformedPoliciesAreTypedErrors() {
    for (String bad :
        List.of(
            "",
            "[]",
            "{\"allowdebug\":true}",
            "{\"mrEnclave\":\"aa\"}",
            "{\"mrEnclave\":[\"zz\"]}",
            "{\"mrSigner\":\"" + "00".repeat(31) + "\"}",
            "{\"isvProdId\":-1}",
            "{\"isvProdId\":70000}",
            "{\"allowDebug\":\"yes\"}",
            "{\"allowedTcbStatuses\":[\"Fine\"]}",
            "{\"allowDebug\":true,\"allowDebug\":false}",
            "{\"mrTd\":12}")) {
      assertThrows(PolicyFormatException.class, () -> policy(bad), bad);
    }
  }

  @Test
  void roundTripsThroughJson() throws Exception {
    Policy p =
        policy(
            "{\"mrSigner\":\""
                + SGX_MRSIGNER
                + "\",\"allowDebug\":true,\"allowedTcbStatuses\":[\"OutOfDate\"]}");
    Policy again = Policy.parse(p.toJson().toString().getBytes(StandardCharsets.UTF_8));
    assertEquals(p.toJson(), again.toJson());
  }
}
