package org.ppml.attestation.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import org.bouncycastle.util.encoders.Hex;
import org.ppml.attestation.AttestationException;
import org.ppml.attestation.dcap.VerificationResult;
import org.ppml.attestation.policy.PolicyDecision;
import org.ppml.attestation.policy.PolicyViolation;

/**
 * What {@code ppml quote verify} reports: a verification result, the policy decision if a policy
 * was given, the JSON object of docs/cli.md, and the exit code (0 verified and allowed, 1 not
 * verified or denied, 2 unreadable input).
 */
public final class QuoteVerificationReport {
  private final VerificationResult result;
  private final PolicyDecision decision;
  private final AttestationException inputError;

  /**
   * @param decision the policy decision, or null when no policy was given
   */
  public QuoteVerificationReport(VerificationResult result, PolicyDecision decision) {
    this.result = Objects.requireNonNull(result, "result");
    this.decision = decision;
    this.inputError = null;
  }

  private QuoteVerificationReport(AttestationException inputError) {
    this.result = null;
    this.decision = null;
    this.inputError = inputError;
  }

  /**
   * A report for input that could not be read before verification started (a malformed collateral
   * bundle or policy file): every field null, {@code error} set, exit code 2 if the error is an
   * input error.
   */
  public static QuoteVerificationReport inputError(AttestationException error) {
    return new QuoteVerificationReport(Objects.requireNonNull(error, "error"));
  }

  /** The verification result, or null for an {@link #inputError} report. */
  public VerificationResult result() {
    return result;
  }

  public PolicyDecision decision() {
    return decision;
  }

  /**
   * 0 = verified and (if a policy was given) allowed; 1 = not verified or denied; 2 = bad input.
   */
  public int exitCode() {
    if (result == null) {
      return inputError.isInputError() ? 2 : 1;
    }
    AttestationException e = result.error();
    if (e != null && e.isInputError()) {
      return 2;
    }
    if (!result.verified() || (decision != null && !decision.allowed())) {
      return 1;
    }
    return 0;
  }

  /**
   * The {@code ppml quote verify --json} object. Absent values are JSON null, so the shape is
   * fixed.
   */
  public ObjectNode toJson() {
    if (result == null) {
      return inputErrorJson();
    }
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    VerificationResult r = result;
    o.put("verified", r.verified());
    o.put("teeType", r.teeType() == null ? null : r.teeType().name());
    o.put("quoteVersion", r.quoteVersion());
    o.put("tcbStatus", r.tcbStatus() == null ? null : r.tcbStatus().name());
    ArrayNode adv = o.putArray("advisoryIds");
    r.advisoryIds().forEach(adv::add);
    o.put("mrEnclave", hex(r.mrEnclave()));
    o.put("mrSigner", hex(r.mrSigner()));
    o.put("isvProdId", r.isvProdId());
    o.put("isvSvn", r.isvSvn());
    o.put("debug", r.debug());
    o.put("reportData", hex(r.reportData()));
    o.put("fmspc", hex(r.fmspc()));
    o.put("mrTd", hex(r.mrTd()));
    for (int i = 0; i < 4; i++) {
      o.put("rtmr" + i, hex(r.rtmr(i)));
    }
    o.put("tcbEvaluationDataNumber", r.tcbEvaluationDataNumber());
    o.put("simulated", r.simulated());
    o.put("verifiedAt", r.verifiedAt() == null ? null : r.verifiedAt().toString());
    o.put(
        "collateralExpiry", r.collateralExpiry() == null ? null : r.collateralExpiry().toString());
    ArrayNode notes = o.putArray("crlNotes");
    r.crlNotes().forEach(notes::add);
    if (decision == null) {
      o.putNull("policy");
    } else {
      ObjectNode p = o.putObject("policy");
      p.put("allowed", decision.allowed());
      ArrayNode v = p.putArray("violations");
      for (PolicyViolation pv : decision.violations()) {
        v.add(pv.toString());
      }
    }
    if (r.error() == null) {
      o.putNull("error");
    } else {
      ObjectNode e = o.putObject("error");
      e.put("code", r.error().code());
      e.put("message", r.error().getMessage());
    }
    return o;
  }

  private static String hex(byte[] b) {
    return b == null ? null : Hex.toHexString(b);
  }

  private ObjectNode inputErrorJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("verified", false);
    for (String f : new String[] {"teeType", "quoteVersion", "tcbStatus"}) {
      o.putNull(f);
    }
    o.putArray("advisoryIds");
    for (String f :
        new String[] {
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
          "tcbEvaluationDataNumber"
        }) {
      o.putNull(f);
    }
    o.put("simulated", false);
    o.putNull("verifiedAt");
    o.putNull("collateralExpiry");
    o.putArray("crlNotes");
    o.putNull("policy");
    ObjectNode e = o.putObject("error");
    e.put("code", inputError.code());
    e.put("message", inputError.getMessage());
    return o;
  }
}
