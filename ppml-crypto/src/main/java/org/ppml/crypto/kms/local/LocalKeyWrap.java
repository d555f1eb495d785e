package org.ppml.crypto.kms.local;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.provider.CryptoProviders;

/**
 * The local store's data-key wrap: {@code nonce[12] ‖ AES-256-GCM(primary, nonce, dataKey, AAD =
 * UTF-8 "keyName#keyVersion") ‖ tag[16]}. The AAD binds the wrap to the key it names, so a header
 * edited to name another key or version fails to unwrap.
 */
public final class LocalKeyWrap {
  /** Length of a wrapped 32-byte data key. */
  public static final int WRAPPED_LENGTH = 12 + 32 + 16;

  private static final SecureRandom RANDOM = new SecureRandom();

  private LocalKeyWrap() {}

  public static byte[] wrap(byte[] primaryKey, String keyName, int keyVersion, byte[] dataKey)
      throws KmsException {
    byte[] nonce = new byte[12];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = CryptoProviders.active().newAesGcm();
      cipher.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(primaryKey, "AES"),
          new GCMParameterSpec(128, nonce));
      cipher.updateAAD(aad(keyName, keyVersion));
      byte[] sealed = cipher.doFinal(dataKey);
      byte[] out = Arrays.copyOf(nonce, nonce.length + sealed.length);
      System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new KmsException(
          KmsException.Reason.UNAVAILABLE, "AES-GCM wrap failed: " + e.getClass().getSimpleName());
    }
  }

  public static byte[] unwrap(byte[] primaryKey, String keyName, int keyVersion, byte[] wrapped)
      throws KmsException {
    if (wrapped.length != WRAPPED_LENGTH) {
      throw new KmsException(
          KmsException.Reason.UNWRAP_FAILED,
          "wrapped key for "
              + keyName
              + " v"
              + keyVersion
              + " is "
              + wrapped.length
              + " bytes, expected "
              + WRAPPED_LENGTH);
    }
    try {
      Cipher cipher = CryptoProviders.active().newAesGcm();
      cipher.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(primaryKey, "AES"),
          new GCMParameterSpec(128, wrapped, 0, 12));
      cipher.updateAAD(aad(keyName, keyVersion));
      return cipher.doFinal(wrapped, 12, wrapped.length - 12);
    } catch (AEADBadTagException e) {
      throw new KmsException(
          KmsException.Reason.UNWRAP_FAILED,
          "wrapped key does not authenticate under "
              + keyName
              + " v"
              + keyVersion
              + " (tampered header or another key)");
    } catch (GeneralSecurityException e) {
      throw new KmsException(
          KmsException.Reason.UNAVAILABLE,
          "AES-GCM unwrap failed: " + e.getClass().getSimpleName());
    }
  }

  private static byte[] aad(String keyName, int keyVersion) {
    return (keyName + "#" + keyVersion).getBytes(StandardCharsets.UTF_8);
  }
}
