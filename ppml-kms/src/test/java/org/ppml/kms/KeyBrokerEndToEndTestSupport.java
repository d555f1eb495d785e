package org.ppml.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import org.ppml.attestation.simulated.DevHome;

/**
 * Builds KBS attest bodies by hand, from the protocol description, without our client's classes:
 * REPORT_DATA is computed here from the spec (SHA-384 of the JCS form, zero-padded).
 */
final class KeyBrokerEndToEndTestSupport {
  private KeyBrokerEndToEndTestSupport() {}

  /** An attest body for {@code nonce} and {@code jwk}, with a simulated quote binding them. */
  static String attestBody(BrokerFixture broker, String nonce, Map<String, Object> jwk)
      throws Exception {
    return attestBody(broker.devHome, nonce, jwk);
  }

  /** An attest body for {@code nonce} and {@code jwk}, quoted by {@code home}'s test enclave. */
  static String attestBody(DevHome home, String nonce, Map<String, Object> jwk) throws Exception {
    ObjectNode runtimeData = RawKbs.JSON.createObjectNode();
    runtimeData.put("nonce", nonce);
    runtimeData.set("tee-pubkey", RawKbs.JSON.valueToTree(jwk));
    byte[] reportData =
        Arrays.copyOf(
            MessageDigest.getInstance("SHA-384")
                .digest(canonical(runtimeData).getBytes(StandardCharsets.UTF_8)),
            64);
    byte[] quote = home.provider(BrokerFixture.MRENCLAVE).evidence(reportData).quote();
    ObjectNode body = RawKbs.JSON.createObjectNode();
    body.set("runtime-data", runtimeData);
    // Trustee's clients send the evidence as a JSON string; accept that form here.
    body.put("tee-evidence", "{\"quote\":\"" + Base64.getEncoder().encodeToString(quote) + "\"}");
    return body.toString();
  }

  /**
   * RFC 8785 for what runtime-data holds (objects and strings): members sorted by UTF-16 code
   * units, which is {@code String}'s natural order, and no whitespace. Strings here are plain
   * ASCII, which Jackson escapes as JCS does.
   */
  private static String canonical(JsonNode node) {
    if (!node.isObject()) {
      return node.toString();
    }
    TreeMap<String, JsonNode> sorted = new TreeMap<>();
    node.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
    StringBuilder out = new StringBuilder("{");
    for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
      if (out.length() > 1) {
        out.append(',');
      }
      out.append(RawKbs.JSON.getNodeFactory().textNode(e.getKey()).toString())
          .append(':')
          .append(canonical(e.getValue()));
    }
    return out.append('}').toString();
  }
}
