package org.ppml.spark.pme;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.crypto.DecryptionKeyRetriever;
import org.apache.parquet.crypto.KeyAccessDeniedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.crypto.kms.local.LocalKms;
import org.ppml.crypto.testing.TestKeyStores;
import org.ppml.spark.conf.PpmlConf;
import org.ppml.spark.keys.KeyReleases;

/**
 * Key metadata that names an explicit key id, including hostile metadata, on a real local store.
 */
class PpmlCryptoFactoryTest {
  private static final byte[] KF = "0123456789012345".getBytes(StandardCharsets.US_ASCII);
  @TempDir Path dir;
  private DecryptionKeyRetriever keys;

  @BeforeEach
  void setUp() throws IOException {
    LocalKms kms = TestKeyStores.withKeys(dir, "primary");
    kms.importKey("kf", KF);
    Configuration conf = new Configuration();
    conf.set(PpmlConf.KMS_URL, kms.reference());
    conf.set(PpmlConf.KMS_KEY_FILE, dir.resolve("test.key").toString());
    keys =
        new PpmlCryptoFactory()
            .getFileDecryptionProperties(
                conf, new org.apache.hadoop.fs.Path("file:/data/part-0.parquet"))
            .getKeyRetriever();
  }

  @AfterEach
  void tearDown() {
    KeyReleases.closeAll();
  }

  @Test
  void anExplicitKeyIdResolvesThroughTheStore() {
    assertArrayEquals(KF, keys.getKey("kf".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void anUnknownIdIsRefusedNamingTheIdAndTheFile() {
    KeyAccessDeniedException e =
        assertThrows(
            KeyAccessDeniedException.class,
            () -> keys.getKey("kc9".getBytes(StandardCharsets.US_ASCII)));
    assertTrue(
        e.getMessage().contains("'kc9'") && e.getMessage().contains("part-0.parquet"),
        e.getMessage());
    assertTrue(e.getMessage().contains("ppml keys import"), e.getMessage());
  }

  @Test
  void hostileMetadataIsRefusedBeforeAnyLookupAndNeverEchoedRaw() {
    byte[] binary = {0x01, (byte) 0xff, 'k', 'f', 0x00};
    KeyAccessDeniedException e =
        assertThrows(KeyAccessDeniedException.class, () -> keys.getKey(binary));
    assertTrue(
        e.getMessage().contains("neither KMS-wrapped key material nor a printable key id"),
        e.getMessage());
    assertFalse(
        e.getMessage().contains("\u0000") || e.getMessage().contains("\u0001"), e.getMessage());
    byte[] longId = "k".repeat(129).getBytes(StandardCharsets.US_ASCII);
    assertThrows(KeyAccessDeniedException.class, () -> keys.getKey(longId));
    assertThrows(KeyAccessDeniedException.class, () -> keys.getKey(new byte[0]));
    // A name-shaped id that is not a valid key name never reaches the store's files.
    assertThrows(
        KeyAccessDeniedException.class,
        () -> keys.getKey("../keys".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void aThirtyTwoByteKeyIsReleasedByIdToo() {
    // Explicit keys may be AES-256 as well; in the local store any key may leave by id.
    assertEquals(32, keys.getKey("primary".getBytes(StandardCharsets.US_ASCII)).length);
  }
}
