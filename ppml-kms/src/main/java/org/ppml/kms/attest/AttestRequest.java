package org.ppml.kms.attest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import java.util.Iterator;
import java.util.Set;
import org.ppml.attestation.quote.Quote;
import org.ppml.kms.BrokerException;
import org.ppml.kms.BrokerException.Kind;
import org.ppml.kmsclient.broker.RuntimeDataBinding;

/**
 * A KBS protocol 0.4.0 attest body, read strictly, as Trustee v0.14.0 reads it ({@code
 * kbs/src/attestation/backend.rs}) and guest-components v0.14.0 {@code kbs_protocol} writes it:
 *
 * <pre>
 * {"init-data": null,                                   (absent or null)
 *  "runtime-data": {"nonce": N, "tee-pubkey": JWK},
 *  "tee-evidence": {"primary_evidence": {"quote": &lt;standard base64&gt;,
 *                                        "cc_eventlog": …, "aa_eventlog": …},   (TDX, optional)
 *                   "additional_evidence": ""}}
 * </pre>
 *
 * Older shapes (a flat {@code {"quote": …}}, or the evidence as a JSON string) are refused with an
 * error that names the 0.4.0 shape. Init-data and additional (device) evidence are refused when
 * present: this broker verifies neither, and accepting them unverified would let a client believe
 * they were checked. Unknown members are refused everywhere.
 *
 * @param nonce {@code runtime-data.nonce}
 * @param teeKey {@code runtime-data.tee-pubkey}
 * @param additionalEvidence the composite evidence's {@code additional_evidence} (always empty)
 * @param quote the decoded DCAP quote of {@code primary_evidence}
 */
public record AttestRequest(
    String nonce, TeePublicKey teeKey, String additionalEvidence, byte[] quote) {
  /** The protocol version these shapes belong to. */
  public static final String VERSION = "0.4.0";

  /** The 0.4.0 evidence shape, quoted in errors. */
  public static final String EVIDENCE_SHAPE =
      "{\"primary_evidence\": {\"quote\": <standard base64>}, \"additional_evidence\": \"\"}";

  private static final int MAX_NONCE = 128;
  private static final int MAX_EVENTLOG = 1 << 20;
  private static final Set<String> BODY = Set.of("init-data", "runtime-data", "tee-evidence");
  private static final Set<String> RUNTIME_DATA = Set.of("nonce", "tee-pubkey");
  private static final Set<String> COMPOSITE = Set.of("primary_evidence", "additional_evidence");
  private static final Set<String> PRIMARY = Set.of("quote", "cc_eventlog", "aa_eventlog");

  /** Reads {@code body}; every refusal names the member and the expected shape. */
  public static AttestRequest parse(JsonNode body) throws BrokerException {
    onlyMembers(body, BODY, "the attest body");
    JsonNode initData = body.get("init-data");
    if (initData != null && !initData.isNull()) {
      throw bad(
          "init-data is not supported by this broker (it cannot check an init-data digest);"
              + " send \"init-data\": null or omit it");
    }
    JsonNode runtimeData = body.get("runtime-data");
    if (runtimeData == null || !runtimeData.isObject()) {
      throw bad("runtime-data must be an object {\"nonce\": …, \"tee-pubkey\": JWK}");
    }
    onlyMembers(runtimeData, RUNTIME_DATA, "runtime-data");
    JsonNode nonce = runtimeData.get("nonce");
    if (nonce == null || !nonce.isTextual() || nonce.textValue().length() > MAX_NONCE) {
      throw bad("runtime-data.nonce must be the challenge's nonce string");
    }
    TeePublicKey teeKey = TeePublicKey.parse(runtimeData.get("tee-pubkey"));

    JsonNode evidence = body.get("tee-evidence");
    if (evidence == null || !evidence.isObject() || !evidence.has("primary_evidence")) {
      throw bad(
          "tee-evidence must be the KBS "
              + VERSION
              + " composite evidence "
              + EVIDENCE_SHAPE
              + "; a flat {\"quote\": …} or a JSON string is the shape of earlier protocol"
              + " versions");
    }
    onlyMembers(evidence, COMPOSITE, "tee-evidence");
    JsonNode additional = evidence.get("additional_evidence");
    if (additional == null || !additional.isTextual()) {
      throw bad("tee-evidence.additional_evidence must be a string (\"\" without devices)");
    }
    if (!additional.textValue().isEmpty()) {
      throw bad(
          "tee-evidence.additional_evidence carries device evidence, which this broker does not"
              + " verify; send \"\"");
    }
    JsonNode primary = evidence.get("primary_evidence");
    if (!primary.isObject()) {
      throw bad("tee-evidence.primary_evidence must be an object {\"quote\": <standard base64>}");
    }
    onlyMembers(primary, PRIMARY, "tee-evidence.primary_evidence");
    for (String log : new String[] {"cc_eventlog", "aa_eventlog"}) {
      JsonNode l = primary.get(log);
      if (l != null && !l.isNull() && (!l.isTextual() || l.textValue().length() > MAX_EVENTLOG)) {
        throw bad("tee-evidence.primary_evidence." + log + " must be a string or null");
      }
    }
    return new AttestRequest(
        nonce.textValue(), teeKey, additional.textValue(), quote(primary.get("quote")));
  }

  /** The REPORT_DATA this request's quote must carry ({@link RuntimeDataBinding#kbs}). */
  public byte[] expectedReportData() {
    return RuntimeDataBinding.kbs(nonce, teeKey.kbsForm(), additionalEvidence);
  }

  private static byte[] quote(JsonNode q) throws BrokerException {
    String where = "tee-evidence.primary_evidence.quote";
    if (q == null || !q.isTextual()) {
      throw bad(where + " must be a standard base64 string");
    }
    String text = q.textValue();
    if (text.isEmpty() || text.length() > (Quote.MAX_SIZE + 2) / 3 * 4) {
      throw bad(where + " must be 1.." + Quote.MAX_SIZE + " bytes of standard base64");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw bad(where + " is not standard base64 (RFC 4648 §4, with padding)");
    }
    // The JDK decoder tolerates missing padding and stray low bits; only the canonical text of
    // the decoded bytes is accepted.
    if (!Base64.getEncoder().encodeToString(bytes).equals(text)) {
      throw bad(where + " is not canonical standard base64 (RFC 4648 §4, with padding)");
    }
    return bytes;
  }

  private static void onlyMembers(JsonNode node, Set<String> allowed, String where)
      throws BrokerException {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!allowed.contains(name)) {
        throw bad(
            where
                + " has the member \""
                + (name.length() > 64 ? name.substring(0, 64) + "…" : name)
                + "\", which KBS "
                + VERSION
                + " does not define here (expected "
                + String.join(", ", allowed.stream().sorted().toList())
                + ")");
      }
    }
  }

  private static BrokerException bad(String message) {
    return new BrokerException(Kind.BAD_REQUEST, message);
  }

  @Override
  public String toString() {
    return "AttestRequest[" + quote.length + "-byte quote, key " + teeKey.thumbprint() + "]";
  }
}
