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

  /**
   * A KBS 0.4.0 attest body for {@code nonce} and {@code jwk}, shaped as the reference client
   * (guest-components v0.14.0 {@code rcar_client.rs}) sends it, with a simulated SGX quote whose
   * REPORT_DATA is SHA-384 of the JCS form of {tee-pubkey, nonce, additional-evidence}, padded.
   */
  static String attestBody(BrokerFixture broker, String nonce, Map<String, Object> jwk)
      throws Exception {
    return attestBody(broker.devHome, nonce, jwk);
  }

  /**
   * A KBS 0.4.0 attest body for {@code nonce} and {@code jwk}, quoted by {@code home}'s test
   * enclave.
   */
  static String attestBody(DevHome home, String nonce, Map<String, Object> jwk) throws Exception {
    ObjectNode teePubkey = referenceJwk(jwk);
    ObjectNode hashed = RawKbs.JSON.createObjectNode();
    hashed.set("tee-pubkey", teePubkey);
    hashed.put("nonce", nonce);
    hashed.put("additional-evidence", "");
    byte[] reportData =
        Arrays.copyOf(
            MessageDigest.getInstance("SHA-384")
                .digest(canonical(hashed).getBytes(StandardCharsets.UTF_8)),
            64);
    byte[] quote = home.provider(BrokerFixture.MRENCLAVE).evidence(reportData).quote();
    ObjectNode body = RawKbs.JSON.createObjectNode();
    body.putNull("init-data");
    ObjectNode runtimeData = body.putObject("runtime-data");
    runtimeData.put("nonce", nonce);
    runtimeData.set("tee-pubkey", teePubkey);
    ObjectNode evidence = body.putObject("tee-evidence");
    evidence.putObject("primary_evidence").put("quote", Base64.getEncoder().encodeToString(quote));
    evidence.put("additional_evidence", "");
    return body.toString();
  }

  /**
   * A public JWK as kbs-types {@code TeePubKey} serialises it: {@code kty, crv, alg, x, y} for EC
   * (alg ECDH-ES+A256KW), {@code kty, alg, n, e} for RSA (alg RSA-OAEP-256).
   */
  static ObjectNode referenceJwk(Map<String, Object> jwk) {
    ObjectNode out = RawKbs.JSON.createObjectNode();
    out.put("kty", (String) jwk.get("kty"));
    if ("EC".equals(jwk.get("kty"))) {
      out.put("crv", (String) jwk.get("crv"));
      out.put("alg", "ECDH-ES+A256KW");
      out.put("x", (String) jwk.get("x"));
      out.put("y", (String) jwk.get("y"));
    } else {
      out.put("alg", "RSA-OAEP-256");
      out.put("n", (String) jwk.get("n"));
      out.put("e", (String) jwk.get("e"));
    }
    return out;
  }

  /**
   * RFC 8785 for what runtime-data holds (objects and strings): members sorted by UTF-16 code
   * units, which is {@code String}'s natural order, and no whitespace. Strings here are plain
   * ASCII, which Jackson escapes as JCS does.
   */
  static String canonical(JsonNode node) {
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
