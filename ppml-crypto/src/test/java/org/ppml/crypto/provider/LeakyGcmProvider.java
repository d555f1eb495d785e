package org.ppml.crypto.provider;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;

/**
 * A real JCA provider whose AES-GCM is correct (it passes the known-answer self-test) but careless:
 * when it decrypts into a caller's array it writes the CTR-mode plaintext there first and checks
 * the tag afterwards, so a forged segment leaves its unverified plaintext behind when {@link
 * AEADBadTagException} is thrown. Neither SunJCE nor ACCP does this today; the PPML readers must
 * stay safe if a provider does, which this one lets the tamper tests show.
 */
public final class LeakyGcmProvider extends Provider {
  private static final long serialVersionUID = 1L;

  private LeakyGcmProvider() {
    super(
        "LeakyGcm",
        "1.0",
        "AES/GCM/NoPadding that writes plaintext before checking the tag (test only)");
    putService(
        new Service(this, "Cipher", "AES/GCM/NoPadding", LeakyCipher.class.getName(), null, null) {
          @Override
          public Object newInstance(Object constructorParameter) {
            return new LeakyCipher();
          }
        });
  }

  /** This provider as the PPML code takes it, self-tested like any other. */
  public static CryptoProvider cryptoProvider() {
    CryptoProvider p = new CryptoProvider(CryptoProvider.Kind.JDK, new LeakyGcmProvider());
    String failure = AesGcmSelfTest.run(p);
    if (failure != null) {
      throw new IllegalStateException("the leaky provider should pass the self-test: " + failure);
    }
    return p;
  }

  /**
   * SunJCE's AES-GCM, except that decryption into an array releases plaintext before the tag check.
   */
  static final class LeakyCipher extends ForwardingGcmCipher {
    private static final int TAG = 16;
    private int mode;
    private Key key;
    private byte[] iv;

    @Override
    protected void engineInit(int opmode, Key k, SecureRandom random) throws InvalidKeyException {
      throw new InvalidKeyException("this test provider needs a GCMParameterSpec");
    }

    @Override
    protected void engineInit(int opmode, Key k, AlgorithmParameterSpec params, SecureRandom random)
        throws InvalidKeyException, InvalidAlgorithmParameterException {
      if (!(params instanceof GCMParameterSpec spec)
          || spec.getIV().length != 12
          || spec.getTLen() != 128) {
        throw new InvalidAlgorithmParameterException(
            "this test provider takes 12-byte IVs and 128-bit tags");
      }
      gcm.init(opmode, k, params, random);
      mode = opmode;
      key = k;
      iv = spec.getIV();
    }

    @Override
    protected void engineInit(int opmode, Key k, AlgorithmParameters params, SecureRandom random)
        throws InvalidAlgorithmParameterException {
      throw new InvalidAlgorithmParameterException("this test provider needs a GCMParameterSpec");
    }

    @Override
    protected int engineDoFinal(
        byte[] input, int inputOffset, int inputLen, byte[] output, int outputOffset)
        throws ShortBufferException, IllegalBlockSizeException, BadPaddingException {
      if (mode != Cipher.DECRYPT_MODE || inputLen < TAG) {
        return gcm.doFinal(input, inputOffset, inputLen, output, outputOffset);
      }
      // GCM's keystream is AES-CTR from J0 + 1, with J0 = IV || 00000001 for a 12-byte IV.
      byte[] counter = Arrays.copyOf(iv, 16);
      counter[15] = 2;
      try {
        Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding", "SunJCE");
        ctr.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(counter));
        ctr.doFinal(input, inputOffset, inputLen - TAG, output, outputOffset);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
      // Only now the tag; on a mismatch the plaintext above stays where it was written.
      byte[] verified = gcm.doFinal(input, inputOffset, inputLen);
      System.arraycopy(verified, 0, output, outputOffset, verified.length);
      return verified.length;
    }
  }
}
