package org.ppml.kms.attest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.ppml.attestation.TestVectors;
import org.ppml.attestation.quote.Quote;
import org.ppml.attestation.quote.TeeType;
import org.ppml.kms.BrokerException;
import org.ppml.kmsclient.broker.RuntimeDataBinding;

/**
 * The KBS 0.4.0 REPORT_DATA known answer (issue 12), as Trustee v0.14.0 computes it: SHA-384 of the
 * RFC 8785 form of {@code {"tee-pubkey": JWK, "nonce": NONCE, "additional-evidence": ""}},
 * zero-padded to 64 bytes, found where an SGX v3 quote and a TDX v4 quote keep their REPORT_DATA.
 */
class KbsReportDataKnownAnswerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NONCE = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
  private static final String TEE_PUBKEY =
      "{\"kty\":\"EC\",\"crv\":\"P-256\",\"alg\":\"ECDH-ES+A256KW\","
          + "\"x\":\"axfR8uEsQkf4vOblY6RA8ncDfYEt6zOg9KE5RdiYwpY\","
          + "\"y\":\"T-NC4v4af5uO5-tKfA-eFivOM1drMV7Oy7ZAaDe_UfU\"}";
  private static final byte[] EXPECTED =
      HexFormat.of()
          .parseHex(
              "9edc01b09e997f6578d6bd8f7fc2b28dfaaf4e5417793667b7ece025d50c7cf5"
                  + "b9b0f7d2bbbcebe25d2f53bd33807ce3"
                  + "00".repeat(16));

  /** Where the quote formats keep REPORT_DATA: SGX v3 header 48 + report body offset 320. */
  private static final int SGX_V3_REPORT_DATA = 48 + 320;

  /** TDX v4: header 48 + TD report offset 520 (after RTMR3). */
  private static final int TDX_V4_REPORT_DATA = 48 + 520;

  @Test
  void theSharedBindingGivesTheKnownAnswer() throws Exception {
    assertArrayEquals(EXPECTED, RuntimeDataBinding.kbs(NONCE, JSON.readTree(TEE_PUBKEY), ""));
    assertFalse(
        Arrays.equals(EXPECTED, RuntimeDataBinding.kbs(NONCE, JSON.readTree(TEE_PUBKEY), "x")),
        "additional-evidence is bound");
  }

  @Test
  void anSgxQuoteCarryingTheKnownAnswerBindsTheGoldenAttestBody() throws Exception {
    byte[] quote = withReportData(TestVectors.SGX_V3.quoteBytes(), SGX_V3_REPORT_DATA);
    Quote parsed = Quote.parse(quote);
    assertEquals(TeeType.SGX, parsed.teeType());
    assertArrayEquals(EXPECTED, parsed.body().reportData());
    assertArrayEquals(EXPECTED, AttestRequest.parse(golden(quote, "")).expectedReportData());
  }

  @Test
  void aTdxQuoteCarryingTheKnownAnswerBindsTheGoldenAttestBody() throws Exception {
    byte[] quote = withReportData(TestVectors.TDX_V4.quoteBytes(), TDX_V4_REPORT_DATA);
    Quote parsed = Quote.parse(quote);
    assertEquals(TeeType.TDX, parsed.teeType());
    assertArrayEquals(EXPECTED, parsed.body().reportData());
    // TDX evidence may carry the CC event log beside the quote.
    JsonNode body = golden(quote, "\"cc_eventlog\":\"AAAA\",");
    assertArrayEquals(EXPECTED, AttestRequest.parse(body).expectedReportData());
  }

  @Test
  void membersTrusteesTeePubKeyDropsAreNotHashed() throws Exception {
    String withKid = TEE_PUBKEY.replace("{\"kty\"", "{\"kid\":\"k1\",\"kty\"");
    JsonNode body =
        JSON.readTree(
            golden(withReportData(TestVectors.SGX_V3.quoteBytes(), SGX_V3_REPORT_DATA), "")
                .toString()
                .replace(TEE_PUBKEY, withKid));
    assertArrayEquals(EXPECTED, AttestRequest.parse(body).expectedReportData());
  }

  @Test
  void quotesMustBeCanonicalStandardBase64() throws Exception {
    byte[] quote = withReportData(TestVectors.SGX_V3.quoteBytes(), SGX_V3_REPORT_DATA);
    String std = Base64.getEncoder().encodeToString(quote);
    for (String bad :
        new String[] {
          std.replace('+', '-').replace('/', '_'), std.replaceAll("=+$", ""), std + "\\n", ""
        }) {
      if (bad.equals(std)) {
        continue;
      }
      JsonNode body = JSON.readTree(golden(quote, "").toString().replace(std, bad));
      BrokerException e = assertThrows(BrokerException.class, () -> AttestRequest.parse(body));
      assertTrue(e.getMessage().contains("tee-evidence.primary_evidence.quote"), e.getMessage());
    }
  }

  /** The attest body the reference client sends, with {@code quote} as primary evidence. */
  private static JsonNode golden(byte[] quote, String extraPrimary) throws Exception {
    return JSON.readTree(
        "{\"init-data\":null,\"runtime-data\":{\"nonce\":\""
            + NONCE
            + "\",\"tee-pubkey\":"
            + TEE_PUBKEY
            + "},\"tee-evidence\":{\"primary_evidence\":{"
            + extraPrimary
            + "\"quote\":\""
            + Base64.getEncoder().encodeToString(quote)
            + "\"},\"additional_evidence\":\"\"}}");
  }

  private static byte[] withReportData(byte[] quote, int at) {
    byte[] q = quote.clone();
    System.arraycopy(EXPECTED, 0, q, at, 64);
    return q;
  }
}
