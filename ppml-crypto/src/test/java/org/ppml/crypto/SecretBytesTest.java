package org.ppml.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SecretBytesTest {
  private static final byte[] KEY =
      HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

  @Test
  void copiesAreIndependentOfTheHolder() {
    byte[] mine = KEY.clone();
    SecretBytes s = SecretBytes.copyOf(mine);
    mine[0] = 9;
    byte[] out = s.copy();
    assertArrayEquals(KEY, out);
    out[1] = 9;
    assertArrayEquals(KEY, s.copy());
    assertArrayEquals(KEY, s.aesKey().getEncoded());
    assertEquals(32, s.length());
  }

  /** A destroyed key fails every use: handing out zeros would encrypt under a known key. */
  @Test
  void everyUseFailsOnceDestroyed() {
    byte[] adopted = KEY.clone();
    SecretBytes s = SecretBytes.adopt(adopted);
    assertFalse(s.isDestroyed());
    s.destroy();
    assertTrue(s.isDestroyed());
    assertArrayEquals(new byte[32], adopted, "the adopted array itself is zeroed");
    assertThrows(IllegalStateException.class, s::copy);
    assertThrows(IllegalStateException.class, s::aesKey);
  }

  @Test
  void toStringNeverShowsTheBytes() {
    String shown = SecretBytes.copyOf(KEY).toString();
    assertEquals("SecretBytes[32 bytes, redacted]", shown);
    assertFalse(shown.contains("0102"), shown);
  }
}
