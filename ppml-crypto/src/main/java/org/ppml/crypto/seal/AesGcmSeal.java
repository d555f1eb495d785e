package org.ppml.crypto.seal;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.ppml.crypto.provider.CryptoProviders;

/**
 * Seals a small secret: {@code nonce[12] ‖ AES-GCM(key, nonce, plaintext, aad) ‖ tag[16]}, with a
 * fresh random nonce each time, through the self-tested provider of {@link CryptoProviders}.
 *
 * <p>The one implementation of that layout, shared by the local store's data-key wrap, its store
 * file, the key broker's master-key sealing and the Parquet KMS client's key wrap; each caller
 * names what it seals in its own associated data and maps a failed {@link #open} to its own typed
 * error. File bodies are not small secrets and go through {@code org.ppml.crypto.stream} instead.
 *
 * <p>A random 96-bit nonce is safe for up to 2^32 seals under one key (NIST SP 800-38D §8.3); every
 * caller seals far fewer than that per key.
 */
public final class AesGcmSeal {
  /** Length of the nonce at the front of a sealed value. */
  public static final int NONCE_LENGTH = 12;

  /** Length of the tag at its end. */
  public static final int TAG_LENGTH = 16;

  /** What sealing adds to the plaintext. */
  public static final int OVERHEAD = NONCE_LENGTH + TAG_LENGTH;

  private static final SecureRandom RANDOM = new SecureRandom();

  private AesGcmSeal() {}

  /**
   * Seals {@code plaintext} under {@code key} (16, 24 or 32 bytes) with a fresh random nonce.
   *
   * @return {@code nonce ‖ ciphertext ‖ tag}, {@link #OVERHEAD} bytes longer than {@code plaintext}
   */
  public static byte[] seal(SecretKey key, byte[] plaintext, byte[] aad)
      throws GeneralSecurityException {
    byte[] nonce = new byte[NONCE_LENGTH];
    RANDOM.nextBytes(nonce);
    return seal(key, nonce, plaintext, aad);
  }

  /**
   * Seals with a caller's nonce. Only for known-answer tests: reusing a nonce under one key loses
   * both confidentiality and integrity.
   */
  static byte[] seal(SecretKey key, byte[] nonce, byte[] plaintext, byte[] aad)
      throws GeneralSecurityException {
    if (nonce.length != NONCE_LENGTH) {
      throw new IllegalArgumentException("the nonce is " + NONCE_LENGTH + " bytes");
    }
    Cipher cipher = CryptoProviders.active().newAesGcm();
    cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
    cipher.updateAAD(aad);
    byte[] out = Arrays.copyOf(nonce, NONCE_LENGTH + cipher.getOutputSize(plaintext.length));
    int written = cipher.doFinal(plaintext, 0, plaintext.length, out, NONCE_LENGTH);
    if (written != plaintext.length + TAG_LENGTH) {
      throw new GeneralSecurityException("AES-GCM produced " + written + " bytes");
    }
    return out;
  }

  /**
   * Opens a value {@link #seal sealed} under {@code key} with the same {@code aad}.
   *
   * @throws AEADBadTagException when it does not authenticate: another key or AAD, a flipped bit
   *     anywhere, or fewer than {@link #OVERHEAD} bytes. Nothing of the plaintext is returned then.
   */
  public static byte[] open(SecretKey key, byte[] sealed, byte[] aad)
      throws GeneralSecurityException {
    if (sealed.length < OVERHEAD) {
      throw new AEADBadTagException(
          "a sealed value is at least " + OVERHEAD + " bytes, got " + sealed.length);
    }
    Cipher cipher = CryptoProviders.active().newAesGcm();
    cipher.init(
        Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, sealed, 0, NONCE_LENGTH));
    cipher.updateAAD(aad);
    return cipher.doFinal(sealed, NONCE_LENGTH, sealed.length - NONCE_LENGTH);
  }
}
