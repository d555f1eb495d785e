package org.ppml.crypto.provider;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Known-answer self-test for AES-256-GCM, run once per provider before it is trusted with data.
 *
 * <p>Checks encryption and decryption against NIST GCM test case 16 (AES-256, 60-byte plaintext,
 * 20-byte AAD), and that a flipped tag is rejected: a provider that returns plaintext for a bad tag
 * is worse than a slow one.
 */
final class AesGcmSelfTest {
  private static final HexFormat HEX = HexFormat.of();
  // NIST "The Galois/Counter Mode of Operation (GCM)", test case 16.
  private static final byte[] KEY =
      HEX.parseHex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
  private static final byte[] IV = HEX.parseHex("cafebabefacedbaddecaf888");
  private static final byte[] AAD = HEX.parseHex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  private static final byte[] PLAINTEXT =
      HEX.parseHex(
          "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e24"
              + "49a6b525b16aedf5aa0de657ba637b39");
  private static final byte[] CIPHERTEXT_AND_TAG =
      HEX.parseHex(
          "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b10"
              + "56828838c5f61e6393ba7a0abcc9f662"
              + "76fc6ece0f4e1768cddf8853bb2d551b");

  private AesGcmSelfTest() {}

  /** Returns null when the provider passes, else a short reason. */
  static String run(CryptoProvider provider) {
    try {
      SecretKeySpec key = new SecretKeySpec(KEY, "AES");
      Cipher cipher = provider.newAesGcm();
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, IV));
      cipher.updateAAD(AAD);
      byte[] sealed = cipher.doFinal(PLAINTEXT);
      if (!MessageDigest.isEqual(sealed, CIPHERTEXT_AND_TAG)) {
        return "encryption known-answer mismatch";
      }
      cipher = provider.newAesGcm();
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, IV));
      cipher.updateAAD(AAD);
      if (!MessageDigest.isEqual(cipher.doFinal(CIPHERTEXT_AND_TAG), PLAINTEXT)) {
        return "decryption known-answer mismatch";
      }
      byte[] forged = CIPHERTEXT_AND_TAG.clone();
      forged[forged.length - 1] ^= 1;
      cipher = provider.newAesGcm();
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, IV));
      cipher.updateAAD(AAD);
      try {
        cipher.doFinal(forged);
        return "a forged tag was accepted";
      } catch (AEADBadTagException expected) {
        return null;
      }
    } catch (GeneralSecurityException | RuntimeException | LinkageError e) {
      return "self-test raised " + e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }
}
