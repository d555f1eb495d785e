package org.ppml.kmsclient.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.erdtman.jcs.JsonCanonicalizer;
import org.ppml.attestation.evidence.EvidenceProvider;

/**
 * How runtime data is bound into a quote's 64-byte REPORT_DATA. Both the broker and its clients
 * compute it here, so they cannot drift apart.
 *
 * <p>KBS protocol 0.4.0, as Trustee v0.14.0 verifies it ({@code kbs/src/attestation/backend.rs},
 * {@code attestation-service/src/lib.rs}) and guest-components v0.14.0 {@code kbs_protocol}
 * produces it ({@code rcar_client.rs}): REPORT_DATA = SHA-384 of the RFC 8785 (JCS) serialisation
 * of {@code {"tee-pubkey": JWK, "nonce": NONCE, "additional-evidence": STRING}}, zero-padded to 64
 * bytes. The runtime-data object sent on the wire is {@code {nonce, tee-pubkey}} only; the hashed
 * object adds the composite evidence's {@code additional_evidence} string, so the device evidence
 * is bound too.
 */
public final class RuntimeDataBinding {
  private RuntimeDataBinding() {}

  /**
   * The KBS 0.4.0 REPORT_DATA for {@code nonce}, {@code teePubkey} (the JWK object as hashed) and
   * {@code additionalEvidence} (the exact string of the composite evidence), with SHA-384.
   */
  public static byte[] kbs(String nonce, JsonNode teePubkey, String additionalEvidence) {
    return kbs(nonce, teePubkey, additionalEvidence, "SHA-384");
  }

  /**
   * As {@link #kbs(String, JsonNode, String)} with another digest: a KBS may select SHA-256 or
   * SHA-512 in its challenge's {@code extra-params.selected-hash-algorithm}.
   *
   * @param jcaDigest {@code SHA-256}, {@code SHA-384} or {@code SHA-512}
   */
  public static byte[] kbs(
      String nonce, JsonNode teePubkey, String additionalEvidence, String jcaDigest) {
    ObjectNode hashed = JsonNodeFactory.instance.objectNode();
    hashed.set("tee-pubkey", teePubkey);
    hashed.put("nonce", nonce);
    hashed.put("additional-evidence", additionalEvidence);
    return digestPadded(canonical(hashed.toString()), jcaDigest);
  }

  /**
   * SHA-384 of the JCS form of an arbitrary runtime-data object text, padded to 64 bytes: the
   * binding eHSM's self-attestation uses for {@code {"nonce": …}}. Not the KBS 0.4.0 binding.
   *
   * @throws IllegalArgumentException if the text is not JSON that JCS accepts
   */
  public static byte[] reportData(String runtimeDataJson) {
    return digestPadded(canonical(runtimeDataJson), "SHA-384");
  }

  /** Whether {@code actual} REPORT_DATA binds {@code expected}, compared in constant time. */
  public static boolean matches(byte[] expected, byte[] actual) {
    return actual != null && MessageDigest.isEqual(expected, actual);
  }

  private static byte[] canonical(String json) {
    try {
      return new JsonCanonicalizer(json).getEncodedUTF8();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("runtime-data cannot be canonicalised (RFC 8785)");
    }
  }

  private static byte[] digestPadded(byte[] canonical, String jcaDigest) {
    try {
      byte[] d = MessageDigest.getInstance(jcaDigest).digest(canonical);
      if (d.length > EvidenceProvider.REPORT_DATA_SIZE) {
        throw new IllegalArgumentException(jcaDigest + " is longer than REPORT_DATA");
      }
      return Arrays.copyOf(d, EvidenceProvider.REPORT_DATA_SIZE);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalArgumentException("unknown digest " + jcaDigest);
    }
  }
}
