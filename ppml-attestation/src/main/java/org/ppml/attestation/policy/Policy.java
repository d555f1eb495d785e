package org.ppml.attestation.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.util.encoders.Hex;
import org.ppml.attestation.collateral.CollateralFormatException;
import org.ppml.attestation.collateral.TcbStatus;
import org.ppml.attestation.dcap.VerificationResult;
import org.ppml.attestation.quote.TeeType;
import org.ppml.crypto.json.StrictJsonMapper;

/**
 * A key-release policy (docs/architecture.md). Every field is optional; every field that is set
 * must hold.
 *
 * <pre>
 * {
 *   "mrEnclave": ["hex32", ...],            // SGX: one of these
 *   "mrSigner": "hex32", "isvProdId": 0, "minIsvSvn": 0,
 *   "allowDebug": false,                      // default false
 *   "allowedTcbStatuses": ["UpToDate"],       // default [UpToDate]
 *   "allowedAdvisoryIds": ["INTEL-SA-..."],   // if set, every advisory must be listed
 *   "minTcbEvaluationDataNumber": 17,
 *   "allowSimulated": false,                  // default false
 *   "mrTd": "hex48", "rtmr0": "hex48", ... "rtmr3": "hex48"   // TDX
 * }
 * </pre>
 */
public final class Policy {
  private static final int MAX_DOCUMENT = 1 << 20;
  private static final int MAX_LIST = 1024;
  private static final Set<String> FIELDS =
      Set.of(
          "mrEnclave",
          "mrSigner",
          "isvProdId",
          "minIsvSvn",
          "allowDebug",
          "allowedTcbStatuses",
          "allowedAdvisoryIds",
          "minTcbEvaluationDataNumber",
          "allowSimulated",
          "mrTd",
          "rtmr0",
          "rtmr1",
          "rtmr2",
          "rtmr3");
  private static final ObjectMapper MAPPER =
      StrictJsonMapper.create(16, StrictJsonMapper.DEFAULT_MAX_STRING);

  private final List<byte[]> mrEnclaves;
  private final byte[] mrSigner;
  private final Integer isvProdId;
  private final Integer minIsvSvn;
  private final boolean allowDebug;
  private final Set<TcbStatus> allowedTcbStatuses;
  private final Set<String> allowedAdvisoryIds;
  private final Integer minTcbEvaluationDataNumber;
  private final boolean allowSimulated;
  private final byte[] mrTd;
  private final byte[][] rtmrs;

  private Policy(
      List<byte[]> mrEnclaves,
      byte[] mrSigner,
      Integer isvProdId,
      Integer minIsvSvn,
      boolean allowDebug,
      Set<TcbStatus> allowedTcbStatuses,
      Set<String> allowedAdvisoryIds,
      Integer minTcbEvaluationDataNumber,
      boolean allowSimulated,
      byte[] mrTd,
      byte[][] rtmrs) {
    this.mrEnclaves = mrEnclaves;
    this.mrSigner = mrSigner;
    this.isvProdId = isvProdId;
    this.minIsvSvn = minIsvSvn;
    this.allowDebug = allowDebug;
    this.allowedTcbStatuses = Collections.unmodifiableSet(allowedTcbStatuses);
    this.allowedAdvisoryIds =
        allowedAdvisoryIds == null ? null : Collections.unmodifiableSet(allowedAdvisoryIds);
    this.minTcbEvaluationDataNumber = minTcbEvaluationDataNumber;
    this.allowSimulated = allowSimulated;
    this.mrTd = mrTd;
    this.rtmrs = rtmrs;
  }

  /** The strict default: no measurements pinned, no debug, UpToDate only, no simulated evidence. */
  public static Policy defaults() {
    return new Policy(
        null,
        null,
        null,
        null,
        false,
        EnumSet.of(TcbStatus.UpToDate),
        null,
        null,
        false,
        null,
        new byte[4][]);
  }

  /** Parses a policy from UTF-8 JSON bytes. */
  public static Policy parse(byte[] json) throws PolicyFormatException {
    if (json == null || json.length > MAX_DOCUMENT) {
      throw new PolicyFormatException(
          "document is missing or larger than " + MAX_DOCUMENT + " bytes");
    }
    JsonNode n;
    try {
      n = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new PolicyFormatException("not valid JSON");
    }
    if (n == null || !n.isObject()) {
      throw new PolicyFormatException("not a JSON object");
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw new PolicyFormatException(
            "unknown field \"" + (f.length() > 40 ? f.substring(0, 40) : f) + "\"");
      }
    }
    List<byte[]> mrEnclaves = null;
    if (n.has("mrEnclave")) {
      mrEnclaves = new ArrayList<>();
      for (JsonNode e : list(n, "mrEnclave")) {
        mrEnclaves.add(hex(e, "mrEnclave[]", 32));
      }
    }
    byte[] mrSigner = n.has("mrSigner") ? hex(n.get("mrSigner"), "mrSigner", 32) : null;
    Integer isvProdId = optionalInt(n, "isvProdId", 0xffff);
    Integer minIsvSvn = optionalInt(n, "minIsvSvn", 0xffff);
    boolean allowDebug = bool(n, "allowDebug");
    Set<TcbStatus> statuses = EnumSet.of(TcbStatus.UpToDate);
    if (n.has("allowedTcbStatuses")) {
      statuses = EnumSet.noneOf(TcbStatus.class);
      for (JsonNode s : list(n, "allowedTcbStatuses")) {
        try {
          statuses.add(TcbStatus.parse(text(s, "allowedTcbStatuses[]"), "allowedTcbStatuses"));
        } catch (CollateralFormatException e) {
          throw new PolicyFormatException("allowedTcbStatuses has an unknown TCB status");
        }
      }
    }
    Set<String> advisories = null;
    if (n.has("allowedAdvisoryIds")) {
      advisories = new LinkedHashSet<>();
      for (JsonNode s : list(n, "allowedAdvisoryIds")) {
        advisories.add(text(s, "allowedAdvisoryIds[]").toUpperCase(Locale.ROOT));
      }
    }
    Integer minEval = optionalInt(n, "minTcbEvaluationDataNumber", Integer.MAX_VALUE);
    boolean allowSimulated = bool(n, "allowSimulated");
    byte[] mrTd = n.has("mrTd") ? hex(n.get("mrTd"), "mrTd", 48) : null;
    byte[][] rtmrs = new byte[4][];
    for (int i = 0; i < 4; i++) {
      String f = "rtmr" + i;
      rtmrs[i] = n.has(f) ? hex(n.get(f), f, 48) : null;
    }
    return new Policy(
        mrEnclaves,
        mrSigner,
        isvProdId,
        minIsvSvn,
        allowDebug,
        statuses,
        advisories,
        minEval,
        allowSimulated,
        mrTd,
        rtmrs);
  }

  private static List<JsonNode> list(JsonNode n, String f) throws PolicyFormatException {
    JsonNode a = n.get(f);
    if (!a.isArray() || a.size() > MAX_LIST) {
      throw new PolicyFormatException(f + " must be an array of at most " + MAX_LIST + " entries");
    }
    List<JsonNode> out = new ArrayList<>();
    a.forEach(out::add);
    return out;
  }

  private static String text(JsonNode n, String f) throws PolicyFormatException {
    if (!n.isTextual()) {
      throw new PolicyFormatException(f + " must be a string");
    }
    return n.textValue();
  }

  private static byte[] hex(JsonNode n, String f, int len) throws PolicyFormatException {
    String s = text(n, f);
    if (s.length() != len * 2 || !s.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw new PolicyFormatException(f + " must be " + len + " bytes of hex");
    }
    return Hex.decode(s);
  }

  private static Integer optionalInt(JsonNode n, String f, long max) throws PolicyFormatException {
    if (!n.has(f) || n.get(f).isNull()) {
      return null;
    }
    JsonNode v = n.get(f);
    if (!v.isIntegralNumber()
        || !v.canConvertToLong()
        || v.longValue() < 0
        || v.longValue() > max) {
      throw new PolicyFormatException(f + " must be an integer in 0.." + max);
    }
    return (int) v.longValue();
  }

  private static boolean bool(JsonNode n, String f) throws PolicyFormatException {
    if (!n.has(f) || n.get(f).isNull()) {
      return false;
    }
    if (!n.get(f).isBoolean()) {
      throw new PolicyFormatException(f + " must be true or false");
    }
    return n.get(f).booleanValue();
  }

  /** Evaluates every constraint against a verification result and returns all violations. */
  public PolicyDecision evaluate(VerificationResult r) {
    return evaluate(AttestedClaims.of(r));
  }

  /**
   * Evaluates every constraint against attested claims (e.g. from a verified attestation token) and
   * returns all violations.
   */
  public PolicyDecision evaluate(AttestedClaims r) {
    List<PolicyViolation> v = new ArrayList<>();
    if (!r.verified()) {
      v.add(
          new PolicyViolation(
              "verified",
              "the evidence did not verify"
                  + (r.errorCode() != null ? " (" + r.errorCode() + ")" : "")));
    }
    if (r.simulated() && !allowSimulated) {
      v.add(new PolicyViolation("allowSimulated", "the evidence is simulated (development root)"));
    }
    if (Boolean.TRUE.equals(r.debug()) && !allowDebug) {
      v.add(new PolicyViolation("allowDebug", "the enclave runs in debug mode"));
    }
    if (r.verified()) {
      if (!allowedTcbStatuses.contains(r.tcbStatus())) {
        v.add(
            new PolicyViolation(
                "allowedTcbStatuses", "TCB status " + r.tcbStatus() + " is not allowed"));
      }
      if (allowedAdvisoryIds != null) {
        for (String id : r.advisoryIds()) {
          if (!allowedAdvisoryIds.contains(id.toUpperCase(Locale.ROOT))) {
            v.add(new PolicyViolation("allowedAdvisoryIds", "advisory " + id + " is not allowed"));
          }
        }
      }
      if (minTcbEvaluationDataNumber != null
          && r.tcbEvaluationDataNumber() != null
          && r.tcbEvaluationDataNumber() < minTcbEvaluationDataNumber) {
        v.add(
            new PolicyViolation(
                "minTcbEvaluationDataNumber",
                "TCB evaluation data number "
                    + r.tcbEvaluationDataNumber()
                    + " is below "
                    + minTcbEvaluationDataNumber));
      }
    }
    if (r.teeType() != null) {
      checkSgx(r, v);
      checkTdx(r, v);
    }
    return new PolicyDecision(v);
  }

  private void checkSgx(AttestedClaims r, List<PolicyViolation> v) {
    boolean constrained =
        mrEnclaves != null || mrSigner != null || isvProdId != null || minIsvSvn != null;
    if (!constrained) {
      return;
    }
    if (r.teeType() != TeeType.SGX) {
      v.add(
          new PolicyViolation(
              "mrEnclave",
              "the policy constrains an SGX enclave but the evidence is " + r.teeType()));
      return;
    }
    if (mrEnclaves != null && mrEnclaves.stream().noneMatch(m -> Arrays.equals(m, r.mrEnclave()))) {
      v.add(new PolicyViolation("mrEnclave", "MRENCLAVE " + hex(r.mrEnclave()) + " is not listed"));
    }
    if (mrSigner != null && !Arrays.equals(mrSigner, r.mrSigner())) {
      v.add(
          new PolicyViolation(
              "mrSigner",
              "MRSIGNER " + hex(r.mrSigner()) + " is not " + Hex.toHexString(mrSigner)));
    }
    if (isvProdId != null && !isvProdId.equals(r.isvProdId())) {
      v.add(
          new PolicyViolation("isvProdId", "ISVPRODID " + r.isvProdId() + " is not " + isvProdId));
    }
    if (minIsvSvn != null && (r.isvSvn() == null || r.isvSvn() < minIsvSvn)) {
      v.add(new PolicyViolation("minIsvSvn", "ISVSVN " + r.isvSvn() + " is below " + minIsvSvn));
    }
  }

  private void checkTdx(AttestedClaims r, List<PolicyViolation> v) {
    boolean constrained = mrTd != null || Arrays.stream(rtmrs).anyMatch(x -> x != null);
    if (!constrained) {
      return;
    }
    if (r.teeType() != TeeType.TDX) {
      v.add(
          new PolicyViolation(
              "mrTd",
              "the policy constrains a TDX trust domain but the evidence is " + r.teeType()));
      return;
    }
    if (mrTd != null && !Arrays.equals(mrTd, r.mrTd())) {
      v.add(
          new PolicyViolation(
              "mrTd", "MRTD " + hex(r.mrTd()) + " is not " + Hex.toHexString(mrTd)));
    }
    for (int i = 0; i < 4; i++) {
      if (rtmrs[i] != null && !Arrays.equals(rtmrs[i], r.rtmr(i))) {
        v.add(
            new PolicyViolation(
                "rtmr" + i,
                "RTMR" + i + " " + hex(r.rtmr(i)) + " is not " + Hex.toHexString(rtmrs[i])));
      }
    }
  }

  private static String hex(byte[] b) {
    return b == null ? "(absent)" : Hex.toHexString(b);
  }

  public boolean allowDebug() {
    return allowDebug;
  }

  public boolean allowSimulated() {
    return allowSimulated;
  }

  public Set<TcbStatus> allowedTcbStatuses() {
    return allowedTcbStatuses;
  }

  /** The policy as JSON in its own format (only the fields that are set, plus the defaults). */
  public ObjectNode toJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode o = f.objectNode();
    if (mrEnclaves != null) {
      ArrayNode a = o.putArray("mrEnclave");
      mrEnclaves.forEach(m -> a.add(Hex.toHexString(m)));
    }
    if (mrSigner != null) {
      o.put("mrSigner", Hex.toHexString(mrSigner));
    }
    if (isvProdId != null) {
      o.put("isvProdId", isvProdId);
    }
    if (minIsvSvn != null) {
      o.put("minIsvSvn", minIsvSvn);
    }
    o.put("allowDebug", allowDebug);
    ArrayNode statuses = o.putArray("allowedTcbStatuses");
    allowedTcbStatuses.forEach(s -> statuses.add(s.name()));
    if (allowedAdvisoryIds != null) {
      ArrayNode a = o.putArray("allowedAdvisoryIds");
      allowedAdvisoryIds.forEach(a::add);
    }
    if (minTcbEvaluationDataNumber != null) {
      o.put("minTcbEvaluationDataNumber", minTcbEvaluationDataNumber);
    }
    o.put("allowSimulated", allowSimulated);
    if (mrTd != null) {
      o.put("mrTd", Hex.toHexString(mrTd));
    }
    for (int i = 0; i < 4; i++) {
      if (rtmrs[i] != null) {
        o.put("rtmr" + i, Hex.toHexString(rtmrs[i]));
      }
    }
    return o;
  }

  @Override
  public String toString() {
    return "Policy" + toJson();
  }
}
