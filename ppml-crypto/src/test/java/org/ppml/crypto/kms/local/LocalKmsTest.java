package org.ppml.crypto.kms.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.crypto.kms.DataKey;
import org.ppml.crypto.kms.KeyAdministration;
import org.ppml.crypto.kms.Kms;
import org.ppml.crypto.kms.KmsCapability;
import org.ppml.crypto.kms.KmsCredentials;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.KmsRegistry;
import org.ppml.crypto.kms.PrimaryKeyInfo;
import org.ppml.crypto.kms.WrappedKey;
import org.ppml.crypto.testing.TestKeyStores;

class LocalKmsTest {
  @TempDir Path dir;

  private LocalKms passphraseStore(String passphrase) {
    return LocalKms.open(dir.resolve("keys"), KmsCredentials.of(passphrase.toCharArray(), null));
  }

  @Test
  void createsListsRotatesAndDisablesKeys() throws Exception {
    LocalKms kms = TestKeyStores.withKeys(dir, "sales");
    PrimaryKeyInfo sales = kms.listKeys().get(0);
    assertEquals("sales", sales.name());
    assertEquals(1, sales.primaryVersion());
    assertTrue(sales.enabled());

    DataKey v1 = kms.generateDataKey("sales");
    assertEquals(1, v1.wrapped().keyVersion());
    PrimaryKeyInfo rotated = kms.rotateKey("sales");
    assertEquals(2, rotated.primaryVersion());
    assertEquals(List.of(1, 2), rotated.versions());
    DataKey v2 = kms.generateDataKey("sales");
    assertEquals(2, v2.wrapped().keyVersion());

    // Old versions still unwrap, and a fresh instance (another process) sees the rotation.
    LocalKms reopened = LocalKms.open(dir.resolve("keys"), TestKeyStores.keyFileCredentials(dir));
    assertArrayEquals(v1.keyBytes(), reopened.unwrap(v1.wrapped()).keyBytes());
    assertArrayEquals(v2.keyBytes(), reopened.unwrap(v2.wrapped()).keyBytes());

    KmsException exists = assertThrows(KmsException.class, () -> kms.createKey("sales"));
    assertEquals(KmsException.Reason.KEY_EXISTS, exists.reason());

    kms.disableKey("sales");
    assertFalse(kms.listKeys().get(0).enabled());
    assertEquals(
        KmsException.Reason.KEY_DISABLED,
        assertThrows(KmsException.class, () -> kms.generateDataKey("sales")).reason());
    assertEquals(
        KmsException.Reason.KEY_DISABLED,
        assertThrows(KmsException.class, () -> reopened.unwrap(v1.wrapped())).reason());
  }

  @Test
  void anOutsideToolUnwrapsWithOnlyThePrimaryKeyBytes() throws Exception {
    byte[] primary =
        HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    LocalKms kms = LocalKms.open(dir.resolve("keys"), TestKeyStores.keyFileCredentials(dir));
    kms.importKey("byok", primary);
    DataKey key = kms.generateDataKey("byok");
    byte[] wrapped = key.wrapped().wrapped();
    assertEquals(60, wrapped.length);

    // docs/format.md, done with nothing but the JDK.
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(
        Cipher.DECRYPT_MODE,
        new SecretKeySpec(primary, "AES"),
        new GCMParameterSpec(128, wrapped, 0, 12));
    c.updateAAD("byok#1".getBytes(StandardCharsets.UTF_8));
    assertArrayEquals(key.keyBytes(), c.doFinal(wrapped, 12, 48));
  }

  @Test
  void importRejectsWrongLengthsAndBadNames() throws Exception {
    LocalKms kms = LocalKms.open(dir.resolve("keys"), TestKeyStores.keyFileCredentials(dir));
    for (int length : new int[] {0, 8, 15, 17, 31, 33, 64}) {
      assertEquals(
          KmsException.Reason.INVALID_ARGUMENT,
          assertThrows(KmsException.class, () -> kms.importKey("k", new byte[length])).reason(),
          "length " + length);
    }
    for (String bad : new String[] {"", "a#b", "../x", "-lead", "x".repeat(129), "a b"}) {
      assertEquals(
          KmsException.Reason.INVALID_ARGUMENT,
          assertThrows(KmsException.class, () -> kms.createKey(bad)).reason(),
          bad);
    }
    assertFalse(Files.exists(kms.storeFile()), "no store is written for rejected input");
  }

  @Test
  void explicitKeysAreReleasedByIdAndNeverWrap() throws Exception {
    byte[] kf = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5};
    LocalKms kms = LocalKms.open(dir.resolve("keys"), TestKeyStores.keyFileCredentials(dir));
    kms.importKey("kf", kf);
    kms.importKey("k24", new byte[24]);
    byte[] released = kms.explicitKey("kf");
    assertArrayEquals(kf, released);
    java.util.Arrays.fill(released, (byte) 7);
    assertArrayEquals(
        kf, kms.explicitKey("kf"), "the caller zeroing its copy leaves the store intact");
    // A fresh instance reads the 16-byte key back from the sealed file.
    LocalKms reopened = LocalKms.open(dir.resolve("keys"), TestKeyStores.keyFileCredentials(dir));
    assertArrayEquals(kf, reopened.explicitKey("kf"));
    assertEquals(24, reopened.explicitKey("k24").length);
    KmsException wrap = assertThrows(KmsException.class, () -> reopened.generateDataKey("kf"));
    assertEquals(KmsException.Reason.INVALID_ARGUMENT, wrap.reason());
    assertTrue(wrap.getMessage().contains("explicit key"), wrap.getMessage());
    assertEquals(
        KmsException.Reason.INVALID_ARGUMENT,
        assertThrows(KmsException.class, () -> reopened.rotateKey("kf")).reason());
    assertEquals(
        KmsException.Reason.KEY_NOT_FOUND,
        assertThrows(KmsException.class, () -> reopened.explicitKey("nope")).reason());
    reopened.disableKey("kf");
    assertEquals(
        KmsException.Reason.KEY_DISABLED,
        assertThrows(KmsException.class, () -> reopened.explicitKey("kf")).reason());
  }

  @Test
  void wrongPassphraseGivesAClearErrorAndRightOneOpens() throws Exception {
    passphraseStore("correct horse").createKey("k");
    KmsException e =
        assertThrows(KmsException.class, () -> passphraseStore("wrong horse").listKeys());
    assertEquals(KmsException.Reason.STORE_LOCKED, e.reason());
    assertTrue(e.getMessage().contains("wrong passphrase"), e.getMessage());
    assertTrue(e.getMessage().contains("keystore.json"), e.getMessage());
    assertFalse(e.getMessage().contains("horse"));
    assertEquals("k", passphraseStore("correct horse").listKeys().get(0).name());
  }

  @Test
  void noPassphraseAvailableIsAClearError() {
    LocalKms kms = LocalKms.open(dir.resolve("keys"), KmsCredentials.of(null, null));
    KmsException e = assertThrows(KmsException.class, () -> kms.createKey("k"));
    assertEquals(KmsException.Reason.STORE_LOCKED, e.reason());
    assertTrue(e.getMessage().contains("PPML_KEYSTORE_PASSWORD"), e.getMessage());
  }

  /**
   * A key file is read up to its bound, not trusted by its reported size: {@code /dev/zero} reports
   * 0 bytes and never ends; a 31-byte file is too short.
   */
  @Test
  void aKeyFileBeyondItsBoundsIsAClearError() throws Exception {
    Path zero = Path.of("/dev/zero");
    if (Files.isReadable(zero)) {
      LocalKms endless = LocalKms.open(dir.resolve("keys"), KmsCredentials.of(null, zero));
      KmsException e = assertThrows(KmsException.class, () -> endless.createKey("k"));
      assertEquals(KmsException.Reason.STORE_LOCKED, e.reason());
      assertTrue(e.getMessage().contains("more than 4096"), e.getMessage());
    }
    Path small = Files.write(dir.resolve("small.key"), new byte[31]);
    LocalKms shortKey = LocalKms.open(dir.resolve("keys"), KmsCredentials.of(null, small));
    KmsException e = assertThrows(KmsException.class, () -> shortKey.createKey("k"));
    assertEquals(KmsException.Reason.STORE_LOCKED, e.reason());
    assertTrue(e.getMessage().contains("has 31"), e.getMessage());
  }

  @Test
  void storeAndKeyFileAreOwnerOnlyAndHoldNoPlaintextKey() throws Exception {
    LocalKms kms = LocalKms.open(dir.resolve("keys"), TestKeyStores.keyFileCredentials(dir));
    byte[] primary = new byte[32];
    java.util.Arrays.fill(primary, (byte) 0x5A);
    kms.importKey("k", primary);
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(kms.storeFile())));
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("test.key"))));
    String store = Files.readString(kms.storeFile());
    assertFalse(store.contains(java.util.Base64.getEncoder().encodeToString(primary)));
    assertFalse(store.contains("\"k\""), "key names are sealed too");
    try (var files = Files.list(dir.resolve("keys"))) {
      assertTrue(
          files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporaries left");
    }
  }

  @Test
  void tamperedOrCorruptStoresFailTyped() throws Exception {
    LocalKms kms = TestKeyStores.withKeys(dir, "k");
    Path store = kms.storeFile();
    String good = Files.readString(store);
    String[] corruptions = {
      "",
      "{",
      "[]",
      "{\"format\":\"other\"}",
      good.replace("\"version\" : 1", "\"version\" : 2"),
      good.replace("\"keyfile\"", "\"rot13\""),
      changeFirstChar(good, "payload"),
      changeFirstChar(good, "salt"),
      changeFirstChar(good, "nonce"),
    };
    for (String c : corruptions) {
      Files.writeString(store, c);
      KmsException e =
          assertThrows(
              KmsException.class,
              () ->
                  LocalKms.open(dir.resolve("keys"), TestKeyStores.keyFileCredentials(dir))
                      .listKeys(),
              c);
      assertEquals(KmsException.Reason.STORE_LOCKED, e.reason(), e.getMessage());
      assertTrue(e.getMessage().contains("keystore.json"), e.getMessage());
    }
  }

  @Test
  void undecodableSealedContentNeverQuotesTheDecryptedKeys() throws Exception {
    LocalKms kms = TestKeyStores.withKeys(dir, "k");
    Path store = kms.storeFile();
    KeyStoreSeal seal =
        KeyStoreSeal.fromKeyFile(
            LocalKms.readKeyFile(dir.resolve("test.key")),
            KeyStoreFile.readSealParameters(store).salt());
    // Authentic (sealed with the right key) but broken JSON around key material, as a writer bug
    // or a holder of the key file could produce; Jackson would quote it in its error message.
    String material = "c2VjcmV0LWtleS1tYXRlcmlhbC0zMi1ieXRlcy1sb25nISE=";
    KeyStoreFile.writeSealed(
        store,
        seal,
        ("{\"storeId\":\"s\",\"keys\":[{\"material\":\"" + material + "\" oops")
            .getBytes(StandardCharsets.UTF_8));
    KmsException e =
        assertThrows(
            KmsException.class,
            () ->
                LocalKms.open(dir.resolve("keys"), TestKeyStores.keyFileCredentials(dir))
                    .listKeys());
    assertEquals(KmsException.Reason.STORE_LOCKED, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains("sealed content is not JSON"), e.getMessage());
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertFalse(String.valueOf(t.getMessage()).contains(material), "decrypted material in " + t);
    }
  }

  @Test
  void scryptParametersBeyondTheWorkAndMemoryBoundsAreRefusedBeforeDeriving() {
    char[] pass = "correct horse".toCharArray();
    byte[] salt = new byte[16];
    // Each within its own bound, together 4 GiB and 16 times the allowed work.
    assertThrows(
        IllegalArgumentException.class,
        () -> KeyStoreSeal.fromPassphrase(pass, salt, 1 << 20, 32, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> KeyStoreSeal.fromPassphrase(pass, salt, 1 << 16, 8, 16));
    assertThrows(
        IllegalArgumentException.class,
        () -> KeyStoreSeal.fromPassphrase(pass, salt, 1 << 19, 8, 2));
  }

  private static String changeFirstChar(String json, String field) {
    String marker = "\"" + field + "\" : \"";
    int at = json.indexOf(marker) + marker.length();
    char replacement = json.charAt(at) == 'A' ? 'B' : 'A';
    return json.substring(0, at) + replacement + json.substring(at + 1);
  }

  @Test
  void twoInstancesDoNotLoseEachOthersKeys() throws Exception {
    LocalKms a = LocalKms.open(dir.resolve("keys"), TestKeyStores.keyFileCredentials(dir));
    LocalKms b = LocalKms.open(dir.resolve("keys"), TestKeyStores.keyFileCredentials(dir));
    a.createKey("one");
    b.createKey("two");
    a.createKey("three");
    assertEquals(
        List.of("one", "two", "three"), b.listKeys().stream().map(PrimaryKeyInfo::name).toList());
  }

  @Test
  void rewrapMovesADataKeyToTheNewestVersionWithoutChangingIt() throws Exception {
    LocalKms kms = TestKeyStores.withKeys(dir, "k");
    DataKey key = kms.generateDataKey("k");
    kms.rotateKey("k");
    WrappedKey moved = kms.rewrap(key.wrapped(), "k");
    assertEquals(2, moved.keyVersion());
    assertNotEquals(key.wrapped(), moved);
    assertArrayEquals(key.keyBytes(), kms.unwrap(moved).keyBytes());
  }

  @Test
  void registryOpensLocalUrisAndRejectsUnknownSchemes() throws Exception {
    try (Kms kms =
        KmsRegistry.open("local:" + dir.resolve("keys"), TestKeyStores.keyFileCredentials(dir))) {
      KmsCapability.require(kms, KeyAdministration.class, "creating keys").createKey("k");
      assertEquals("local:" + dir.resolve("keys").toAbsolutePath().normalize(), kms.reference());
      assertTrue(kms.matches(kms.reference()));
      assertFalse(kms.matches("local:/elsewhere"));
    }
    KmsException e =
        assertThrows(
            KmsException.class, () -> KmsRegistry.open("vault://x", KmsCredentials.of(null, null)));
    assertEquals(KmsException.Reason.INVALID_ARGUMENT, e.reason());
    assertTrue(e.getMessage().contains("vault"));
  }

  @Test
  void keyObjectsNeverPrintMaterial() throws Exception {
    LocalKms kms = TestKeyStores.withKeys(dir, "k");
    DataKey key = kms.generateDataKey("k");
    String hex = HexFormat.of().formatHex(key.keyBytes());
    assertFalse(key.toString().contains(hex));
    assertTrue(key.toString().contains("redacted"));
    key.close();
    assertTrue(key.isDestroyed());
    assertThrows(IllegalStateException.class, key::keyBytes);
  }

  /** Before SecretBytes, a destroyed seal handed out an all-zero AES key and went on sealing. */
  @Test
  void aDestroyedSealRefusesToSealRatherThanUseAZeroKey() {
    KeyStoreSeal seal = KeyStoreSeal.fromKeyFile(new byte[32], new byte[16]);
    assertEquals(32, seal.key().getEncoded().length);
    seal.destroy();
    assertTrue(seal.isDestroyed());
    assertThrows(IllegalStateException.class, seal::key);
  }
}
