package org.ppml.crypto.kms.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.crypto.kms.DataKey;
import org.ppml.crypto.kms.KmsCredentials;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.PrimaryKeyInfo;
import org.ppml.crypto.kms.WrappedKey;
import org.ppml.crypto.testing.SealVectors;

/**
 * A store file and a wrapped data key sealed by an independent implementation of the documented
 * formats ({@link SealVectors}) open here: the bytes on disk are what the documentation says.
 */
class SealedFormatVectorsTest {
  @TempDir Path dir;

  @Test
  void aStoreSealedElsewhereOpensAndUnwrapsItsDataKey() throws Exception {
    Path store = SealVectors.copyStore(dir);
    try (LocalKms kms = LocalKms.open(store, KmsCredentials.of(null, SealVectors.keyFile(dir)))) {
      List<PrimaryKeyInfo> keys = kms.listKeys();
      assertEquals(List.of("sales", "kf"), keys.stream().map(PrimaryKeyInfo::name).toList());
      assertEquals(List.of(1, 2), keys.get(0).versions());
      WrappedKey wrapped = new WrappedKey("sales", 2, SealVectors.bytes("salesV2WrappedDataKey"));
      try (DataKey key = kms.unwrap(wrapped)) {
        assertArrayEquals(SealVectors.bytes("dataKey"), key.keyBytes());
      }
      assertEquals(16, kms.explicitKey("kf").length);
      // Under another version the AAD differs, so the same bytes do not unwrap.
      KmsException e =
          assertThrows(
              KmsException.class, () -> kms.unwrap(new WrappedKey("sales", 1, wrapped.wrapped())));
      assertEquals(KmsException.Reason.UNWRAP_FAILED, e.reason());

      // Rewritten by us (a fresh nonce and payload), it opens again with every old version.
      kms.rotateKey("sales");
    }
    try (LocalKms again = LocalKms.open(store, KmsCredentials.of(null, SealVectors.keyFile(dir)))) {
      assertEquals(List.of(1, 2, 3), again.listKeys().get(0).versions());
      assertArrayEquals(
          SealVectors.bytes("dataKey"),
          again
              .unwrap(new WrappedKey("sales", 2, SealVectors.bytes("salesV2WrappedDataKey")))
              .keyBytes());
    }
  }

  @Test
  void theWrapIsTheDocumentedLayout() throws Exception {
    byte[] salesV2 = new byte[32];
    for (int i = 0; i < 32; i++) {
      salesV2[i] = (byte) i;
    }
    assertArrayEquals(
        SealVectors.bytes("dataKey"),
        LocalKeyWrap.unwrap(salesV2, "sales", 2, SealVectors.bytes("salesV2WrappedDataKey")));
  }
}
