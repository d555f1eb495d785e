package org.ppml.crypto.provider;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.CipherSpi;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.ShortBufferException;

/**
 * A real JCA provider whose AES/GCM/NoPadding is subtly broken: it runs the JDK's cipher and then
 * flips one bit of every {@code doFinal} output, as a miscompiled or faulty native library might.
 * It stands in for ACCP to exercise the self-test fallback.
 */
final class CorruptingGcmProvider extends Provider {
  private static final long serialVersionUID = 1L;

  CorruptingGcmProvider() {
    super("CorruptingGcm", "1.0", "AES/GCM/NoPadding that flips one output bit (test only)");
    putService(new Service(this, "Cipher", "AES/GCM/NoPadding", CorruptingCipher.class.getName(), null, null) {
      @Override
      public Object newInstance(Object constructorParameter) {
        return new CorruptingCipher();
      }
    });
  }

  /** Delegates to SunJCE's AES-GCM and corrupts the first byte of each final output. */
  static final class CorruptingCipher extends CipherSpi {
    private final Cipher jdk;

    CorruptingCipher() {
      try {
        jdk = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    private static byte[] corrupt(byte[] out) {
      if (out != null && out.length > 0) {
        out[0] ^= 0x01;
      }
      return out;
    }

    @Override
    protected void engineSetMode(String mode) throws NoSuchAlgorithmException {
      if (!mode.equalsIgnoreCase("GCM")) {
        throw new NoSuchAlgorithmException(mode);
      }
    }

    @Override
    protected void engineSetPadding(String padding) throws NoSuchPaddingException {
      if (!padding.equalsIgnoreCase("NoPadding")) {
        throw new NoSuchPaddingException(padding);
      }
    }

    @Override
    protected int engineGetBlockSize() {
      return jdk.getBlockSize();
    }

    @Override
    protected int engineGetOutputSize(int inputLen) {
      return jdk.getOutputSize(inputLen);
    }

    @Override
    protected byte[] engineGetIV() {
      return jdk.getIV();
    }

    @Override
    protected AlgorithmParameters engineGetParameters() {
      return jdk.getParameters();
    }

    @Override
    protected void engineInit(int opmode, Key key, SecureRandom random) throws InvalidKeyException {
      jdk.init(opmode, key, random);
    }

    @Override
    protected void engineInit(int opmode, Key key, AlgorithmParameterSpec params, SecureRandom random)
        throws InvalidKeyException, InvalidAlgorithmParameterException {
      jdk.init(opmode, key, params, random);
    }

    @Override
    protected void engineInit(int opmode, Key key, AlgorithmParameters params, SecureRandom random)
        throws InvalidKeyException, InvalidAlgorithmParameterException {
      jdk.init(opmode, key, params, random);
    }

    @Override
    protected void engineUpdateAAD(byte[] src, int offset, int len) {
      jdk.updateAAD(src, offset, len);
    }

    @Override
    protected byte[] engineUpdate(byte[] input, int inputOffset, int inputLen) {
      return jdk.update(input, inputOffset, inputLen);
    }

    @Override
    protected int engineUpdate(byte[] input, int inputOffset, int inputLen, byte[] output, int outputOffset)
        throws ShortBufferException {
      return jdk.update(input, inputOffset, inputLen, output, outputOffset);
    }

    @Override
    protected byte[] engineDoFinal(byte[] input, int inputOffset, int inputLen)
        throws IllegalBlockSizeException, BadPaddingException {
      return corrupt(jdk.doFinal(input, inputOffset, inputLen));
    }

    @Override
    protected int engineDoFinal(byte[] input, int inputOffset, int inputLen, byte[] output, int outputOffset)
        throws ShortBufferException, IllegalBlockSizeException, BadPaddingException {
      int n = jdk.doFinal(input, inputOffset, inputLen, output, outputOffset);
      if (n > 0) {
        output[outputOffset] ^= 0x01;
      }
      return n;
    }
  }
}
