package org.ppml.crypto.kms.local;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.spec.SecretKeySpec;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.seal.AesGcmSeal;

/**
 * The local store's data-key wrap: {@code nonce[12] ‖ AES-256-GCM(primary, nonce, dataKey, AAD =
 * UTF-8 "keyName#keyVersion") ‖ tag[16]}, sealed by {@link AesGcmSeal}. The AAD binds the wrap to
 * the key it names, so a header edited to name another key or version fails to unwrap.
 */
public final class LocalKeyWrap {
  /** Length of a wrapped 32-byte data key. */
  public static final int WRAPPED_LENGTH = AesGcmSeal.OVERHEAD + 32;

  private LocalKeyWrap() {}

  public static byte[] wrap(byte[] primaryKey, String keyName, int keyVersion, byte[] dataKey)
      throws KmsException {
    try {
      return AesGcmSeal.seal(
          new SecretKeySpec(primaryKey, "AES"), dataKey, aad(keyName, keyVersion));
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
      return AesGcmSeal.open(
          new SecretKeySpec(primaryKey, "AES"), wrapped, aad(keyName, keyVersion));
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
