package org.ppml.spark.pme;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.crypto.KeyAccessDeniedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.crypto.kms.local.LocalKms;
import org.ppml.crypto.testing.SealVectors;
import org.ppml.crypto.testing.TestKeyStores;
import org.ppml.spark.conf.PpmlConf;
import org.ppml.spark.keys.KeyReleases;

class PpmlKmsClientTest {
  @TempDir Path dir;
  private PpmlKmsClient client;

  @BeforeEach
  void setUp() throws IOException {
    LocalKms kms = TestKeyStores.withKeys(dir, "kf", "kc1");
    Configuration conf = new Configuration();
    conf.set(PpmlConf.KMS_URL, kms.reference());
    conf.set(PpmlConf.KMS_KEY_FILE, dir.resolve("test.key").toString());
    client = new PpmlKmsClient();
    client.initialize(conf, "DEFAULT", "DEFAULT", "DEFAULT");
  }

  @AfterEach
  void tearDown() {
    KeyReleases.closeAll();
  }

  @Test
  void wrapsAndUnwrapsParquetKeysOfAnyLength() {
    for (int length : new int[] {16, 24, 32}) {
      byte[] key = new byte[length];
      key[0] = (byte) length;
      String wrapped = client.wrapKey(key, "kf");
      assertFalse(wrapped.contains(HexFormat.of().formatHex(key)));
      assertArrayEquals(key, client.unwrapKey(wrapped, "kf"));
    }
  }

  @Test
  void anotherMasterKeyOrTamperedMaterialIsDenied() {
    String wrapped = client.wrapKey(new byte[16], "kf");
    KeyAccessDeniedException other =
        assertThrows(KeyAccessDeniedException.class, () -> client.unwrapKey(wrapped, "kc1"));
    // Both are integrity failures of the key metadata (readers exit 1), not a missing key.
    assertTrue(
        PmeIntegrity.keyFailure(other).getMessage().contains("Parquet key under 'kc1'"),
        other.toString());
    String sealed =
        wrapped.replaceAll(
            "\"sealed\":\"(.)", "\"sealed\":\"" + (wrapped.contains("\"sealed\":\"A") ? "B" : "A"));
    KeyAccessDeniedException e =
        assertThrows(KeyAccessDeniedException.class, () -> client.unwrapKey(sealed, "kf"));
    assertTrue(e.getMessage().contains("does not authenticate"), e.getMessage());
    assertEquals("sealed key", PmeIntegrity.keyFailure(e).location());
    KeyAccessDeniedException notJson =
        assertThrows(KeyAccessDeniedException.class, () -> client.unwrapKey("not json", "kf"));
    assertNull(PmeIntegrity.keyFailure(notJson), "a format error is not an integrity verdict");
    // Key material is parsed strictly: a duplicate, an extra member, a string for a number.
    for (String edited :
        new String[] {
          wrapped.replace("{\"v\":1,", "{\"v\":1,\"v\":1,"),
          wrapped.replace("{\"v\":1,", "{\"v\":1,\"extra\":0,"),
          wrapped.replace("{\"v\":1,", "{\"v\":\"1\","),
        }) {
      assertTrue(!edited.equals(wrapped), edited);
      assertThrows(KeyAccessDeniedException.class, () -> client.unwrapKey(edited, "kf"), edited);
    }
    assertThrows(KeyAccessDeniedException.class, () -> client.wrapKey(new byte[16], "no-such-key"));
  }

  /**
   * A Parquet key wrapped by an independent implementation of the documented format ({@link
   * SealVectors}) unwraps through a store sealed the same way.
   */
  @Test
  void aParquetKeyWrappedElsewhereUnwraps() throws IOException {
    Path other = dir.resolve("vectors");
    Path store = SealVectors.copyStore(other);
    Configuration conf = new Configuration();
    conf.set(PpmlConf.KMS_URL, "local:" + store);
    conf.set(PpmlConf.KMS_KEY_FILE, SealVectors.keyFile(other).toString());
    PpmlKmsClient vectors = new PpmlKmsClient();
    vectors.initialize(conf, "DEFAULT", "DEFAULT", "DEFAULT");
    assertArrayEquals(
        SealVectors.bytes("parquetKey"),
        vectors.unwrapKey(SealVectors.text("parquetWrappedKey"), "sales"));
    assertThrows(
        KeyAccessDeniedException.class,
        () -> vectors.unwrapKey(SealVectors.text("parquetWrappedKey"), "kf"));
  }
}
