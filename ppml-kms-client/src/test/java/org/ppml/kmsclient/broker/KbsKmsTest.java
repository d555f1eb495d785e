package org.ppml.kmsclient.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ppml.crypto.kms.ExplicitKeySource;
import org.ppml.crypto.kms.KeyAdministration;
import org.ppml.crypto.kms.KeyImport;
import org.ppml.crypto.kms.KeyRotation;
import org.ppml.crypto.kms.Kms;
import org.ppml.crypto.kms.KmsCapability;
import org.ppml.crypto.kms.KmsCredentials;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.KmsException.Reason;
import org.ppml.crypto.kms.KmsRegistry;
import org.ppml.crypto.kms.WrappedKey;

/**
 * What {@code kbs+https} decides without a KBS: it points at a port nothing listens on, so any
 * attempt to reach the network would surface as {@code UNAVAILABLE}. The release path itself is
 * tested against the real broker in ppml-kms.
 */
class KbsKmsTest {
  private static Kms openUnreachable() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    return KmsRegistry.open(
        "kbs+https://127.0.0.1:" + port + "?tlsSha256=" + "ab".repeat(32),
        KmsCredentials.of(null, null));
  }

  @Test
  void aWrappedDataKeyIsTheResourceReferenceAndNeedsNoKbs() throws Exception {
    try (Kms kms = openUnreachable()) {
      assertTrue(kms instanceof KbsKms, kms.toString());
      WrappedKey w = kms.generateWrappedDataKey("sales");
      assertEquals("sales", w.keyName());
      assertEquals(1, w.keyVersion());
      assertArrayEquals(
          "kbs-resource:ppml/keys/sales".getBytes(StandardCharsets.UTF_8), w.wrapped());
      assertTrue(kms.matches(kms.reference()));
      assertTrue(
          !kms.matches(kms.reference() + "/")
              && !kms.matches("ppml" + kms.reference().substring(3)));
    }
  }

  @Test
  void aReferenceToAnotherResourceIsRefusedBeforeAnyFetch() throws Exception {
    try (Kms kms = openUnreachable()) {
      byte[] other = "kbs-resource:ppml/keys/other".getBytes(StandardCharsets.UTF_8);
      byte[] own = "kbs-resource:ppml/keys/sales".getBytes(StandardCharsets.UTF_8);
      for (WrappedKey hostile :
          new WrappedKey[] {
            new WrappedKey("sales", 1, other),
            new WrappedKey("sales", 2, own),
            new WrappedKey(
                "sales", 1, "kbs-resource:ppml/keys/sales ".getBytes(StandardCharsets.UTF_8)),
            new WrappedKey("sales", 1, new byte[60])
          }) {
        KmsException e = assertThrows(KmsException.class, () -> kms.unwrap(hostile));
        assertEquals(Reason.UNWRAP_FAILED, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("kbs-resource:ppml/keys/sales"), e.getMessage());
      }
      // A path in the key name is not a key name, even if the reference matches it.
      KmsException path =
          assertThrows(
              KmsException.class,
              () ->
                  kms.unwrap(
                      new WrappedKey(
                          "../admin",
                          1,
                          "kbs-resource:ppml/keys/../admin".getBytes(StandardCharsets.UTF_8))));
      assertEquals(Reason.INVALID_ARGUMENT, path.reason());
      assertEquals(
          Reason.INVALID_ARGUMENT,
          assertThrows(KmsException.class, () -> kms.generateWrappedDataKey("a/b")).reason());
    }
  }

  @Test
  void withoutAProviderTheProcessCannotFetch() throws Exception {
    try (Kms kms = openUnreachable()) {
      KmsException e = assertThrows(KmsException.class, () -> kms.generateDataKey("sales"));
      assertTrue(e.getMessage().contains("no evidence provider"), e.getMessage());
    }
  }

  @Test
  void aKbsOffersNoKeyAdministration() throws Exception {
    try (Kms kms = openUnreachable()) {
      for (Class<?> capability :
          List.of(KeyAdministration.class, KeyRotation.class, KeyImport.class)) {
        assertFalse(capability.isInstance(kms), capability.getSimpleName());
      }
      KmsException e =
          assertThrows(
              KmsException.class,
              () -> KmsCapability.require(kms, KeyRotation.class, "rotating keys"));
      assertEquals(Reason.UNSUPPORTED, e.reason());
      assertTrue(
          e.getMessage().startsWith("rotating keys is not offered by the KMS kbs+https://"),
          e.getMessage());
      assertTrue(e.getMessage().contains("KeyRotation"), e.getMessage());
      assertTrue(kms instanceof ExplicitKeySource);
    }
  }
}
