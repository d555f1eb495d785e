package org.ppml.crypto.seal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Known answers from Wycheproof's {@code testvectors_v1/aes_gcm_test.json} (C2SP/wycheproof), group
 * keySize 256, ivSize 96, tagSize 128; and every way a sealed value can be tampered with.
 */
class AesGcmSealTest {
  private static final HexFormat HEX = HexFormat.of();

  private static SecretKey key(String hex) {
    return new SecretKeySpec(HEX.parseHex(hex), "AES");
  }

  /** tcId 91 (valid): a 10-byte message with 8 bytes of AAD. */
  @Test
  void sealsAndOpensWycheproofVector91() throws Exception {
    SecretKey key = key("92ace3e348cd821092cd921aa3546374299ab46209691bc28b8752d17f123c20");
    byte[] nonce = HEX.parseHex("00112233445566778899aabb");
    byte[] aad = HEX.parseHex("00000000ffffffff");
    byte[] msg = HEX.parseHex("00010203040506070809");
    byte[] expected =
        HEX.parseHex(
            "00112233445566778899aabb"
                + "e27abdd2d2a53d2f136b"
                + "9a4a2579529301bcfb71c78d4060f52c");

    assertArrayEquals(expected, AesGcmSeal.seal(key, nonce, msg, aad));
    assertArrayEquals(msg, AesGcmSeal.open(key, expected, aad));
  }

  /** tcId 130 (invalid, "Flipped bit 0 in tag"): must not open. */
  @Test
  void refusesWycheproofVector130WithAFlippedTagBit() {
    SecretKey key = key("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    byte[] sealed =
        HEX.parseHex(
            "505152535455565758595a5b"
                + "b2061457c0759fc1749f174ee1ccadfa"
                + "9de8fef6d8ab1bf1bf887232eab590dd");
    assertThrows(AEADBadTagException.class, () -> AesGcmSeal.open(key, sealed, new byte[0]));
  }

  @Test
  void aFreshNonceEachTimeAndOverheadIs28() throws Exception {
    SecretKey key = key("11".repeat(32));
    byte[] msg = "a data key, 32 bytes, say......!".getBytes(StandardCharsets.UTF_8);
    byte[] a = AesGcmSeal.seal(key, msg, new byte[0]);
    byte[] b = AesGcmSeal.seal(key, msg, new byte[0]);
    assertEquals(msg.length + AesGcmSeal.OVERHEAD, a.length);
    assertNotEquals(
        HEX.formatHex(Arrays.copyOf(a, AesGcmSeal.NONCE_LENGTH)),
        HEX.formatHex(Arrays.copyOf(b, AesGcmSeal.NONCE_LENGTH)));
    assertArrayEquals(msg, AesGcmSeal.open(key, a, new byte[0]));
    assertArrayEquals(msg, AesGcmSeal.open(key, b, new byte[0]));
  }

  @Test
  void everyFlippedBitTheWrongAadTheWrongKeyAndTruncationFail() throws Exception {
    SecretKey key = key("22".repeat(32));
    byte[] aad = "k#1".getBytes(StandardCharsets.UTF_8);
    byte[] sealed = AesGcmSeal.seal(key, new byte[32], aad);
    for (int bit = 0; bit < sealed.length * 8; bit++) {
      byte[] tampered = sealed.clone();
      tampered[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThrows(
          AEADBadTagException.class, () -> AesGcmSeal.open(key, tampered, aad), "bit " + bit);
    }
    assertThrows(
        AEADBadTagException.class,
        () -> AesGcmSeal.open(key, sealed, "k#2".getBytes(StandardCharsets.UTF_8)));
    assertThrows(
        AEADBadTagException.class, () -> AesGcmSeal.open(key("23".repeat(32)), sealed, aad));
    for (int length : new int[] {0, 12, AesGcmSeal.OVERHEAD - 1, sealed.length - 1}) {
      byte[] cut = Arrays.copyOf(sealed, length);
      assertThrows(AEADBadTagException.class, () -> AesGcmSeal.open(key, cut, aad), "" + length);
    }
    byte[] longer = Arrays.copyOf(sealed, sealed.length + 1);
    assertThrows(AEADBadTagException.class, () -> AesGcmSeal.open(key, longer, aad));
  }
}
