package org.ppml.kmsclient.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * The challenge's {@code extra-params} as guest-components v0.14.0 {@code get_hash_algorithm} reads
 * it: no {@code selected-hash-algorithm} (Trustee sends {@code ""}) means SHA-384; a selection is
 * matched without case; anything else is refused.
 */
class KbsHandshakeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void trusteesEmptyStringAndAnEmptyObjectSelectSha384() throws Exception {
    assertEquals("SHA-384", KbsHandshake.selectedDigest(null));
    assertEquals("SHA-384", KbsHandshake.selectedDigest(JSON.readTree("\"\"")));
    assertEquals("SHA-384", KbsHandshake.selectedDigest(JSON.readTree("{}")));
  }

  @Test
  void aSelectedAlgorithmIsHonouredWithoutCase() throws Exception {
    assertEquals(
        "SHA-256",
        KbsHandshake.selectedDigest(JSON.readTree("{\"selected-hash-algorithm\":\"sha256\"}")));
    assertEquals(
        "SHA-512",
        KbsHandshake.selectedDigest(JSON.readTree("{\"selected-hash-algorithm\":\"SHA512\"}")));
    assertEquals(
        "SHA-384",
        KbsHandshake.selectedDigest(JSON.readTree("{\"selected-hash-algorithm\":\"sha-384\"}")));
  }

  @Test
  void anUnknownOrMistypedSelectionIsRefused() throws Exception {
    for (String bad : new String[] {"\"md5\"", "\"\"", "[]", "7"}) {
      KeyBrokerException e =
          assertThrows(
              KeyBrokerException.class,
              () ->
                  KbsHandshake.selectedDigest(
                      JSON.readTree("{\"selected-hash-algorithm\":" + bad + "}")));
      assertTrue(e.getMessage().contains("sha256, sha384 and sha512"), e.getMessage());
    }
  }
}
