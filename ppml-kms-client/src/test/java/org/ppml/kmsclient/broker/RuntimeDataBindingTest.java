package org.ppml.kmsclient.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** REPORT_DATA = SHA-384 of the RFC 8785 (JCS) form of runtime-data, zero-padded to 64 bytes. */
class RuntimeDataBindingTest {
  @Test
  void hashesTheCanonicalFormWhateverTheMemberOrderAndSpacing() throws Exception {
    String sent =
        "{ \"tee-pubkey\": {\"y\":\"Yy\", \"x\":\"Xx\", \"kty\":\"EC\", \"crv\":\"P-256\"},\n \"nonce\": \"n-1\" }";
    // Written out by hand from RFC 8785: members sorted by UTF-16 code units, no whitespace.
    String canonical =
        "{\"nonce\":\"n-1\",\"tee-pubkey\":{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"Xx\",\"y\":\"Yy\"}}";
    byte[] expected =
        Arrays.copyOf(
            MessageDigest.getInstance("SHA-384").digest(canonical.getBytes(StandardCharsets.UTF_8)),
            64);
    byte[] actual = RuntimeDataBinding.reportData(sent);
    assertArrayEquals(expected, actual);
    for (int i = 48; i < 64; i++) {
      assertTrue(actual[i] == 0, "byte " + i + " is padding");
    }
    assertTrue(RuntimeDataBinding.matches(expected, actual));
    assertFalse(
        RuntimeDataBinding.matches(
            expected, RuntimeDataBinding.reportData(sent.replace("n-1", "n-2"))));
  }
}
