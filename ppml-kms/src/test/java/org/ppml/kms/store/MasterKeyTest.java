package org.ppml.kms.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker's sealed rows keep their layout: a value sealed by an independent implementation
 * (ppml-crypto's {@code org/ppml/crypto/vectors/make_vectors.py}, Python {@code cryptography}) for
 * the row of primary key {@code sales} v1 opens, and only for that row.
 */
class MasterKeyTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final String KEY = "gIGCg4SFhoeIiYqLjI2Oj5CRkpOUlZaXmJmam5ydnp8=";
  private static final byte[] PLAINTEXT =
      HEX.parseHex("c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7");
  private static final byte[] SEALED =
      HEX.parseHex(
          "c0c1c2c3c4c5c6c7c8c9cacbacf54a4970602d0cd2fee59c9674e6e7f118d09a3edd2c8ac90f4e5ecb328b64"
              + "5422e12316bc5469056b2f4321df81a6");

  @TempDir Path dir;

  @Test
  void aRowSealedElsewhereOpensOnlyForItsRow() throws Exception {
    MasterKey key = MasterKey.load(KEY, dir.resolve("unused.key"));
    String context = PrimaryKeyStore.context("sales", 1);
    assertArrayEquals(PLAINTEXT, key.open(SEALED, context));
    assertThrows(StoreException.class, () -> key.open(SEALED, PrimaryKeyStore.context("sales", 2)));
    byte[] flipped = SEALED.clone();
    flipped[20] ^= 1;
    assertThrows(StoreException.class, () -> key.open(flipped, context));
    assertArrayEquals(PLAINTEXT, key.open(key.seal(PLAINTEXT, context), context));
  }
}
