package org.ppml.crypto.provider;

import java.security.Provider;
import javax.crypto.BadPaddingException;
import javax.crypto.IllegalBlockSizeException;
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
    putService(
        new Service(
            this, "Cipher", "AES/GCM/NoPadding", CorruptingCipher.class.getName(), null, null) {
          @Override
          public Object newInstance(Object constructorParameter) {
            return new CorruptingCipher();
          }
        });
  }

  /** SunJCE's AES-GCM, with the first byte of each final output flipped. */
  static final class CorruptingCipher extends ForwardingGcmCipher {
    @Override
    protected byte[] engineDoFinal(byte[] input, int inputOffset, int inputLen)
        throws IllegalBlockSizeException, BadPaddingException {
      byte[] out = gcm.doFinal(input, inputOffset, inputLen);
      if (out != null && out.length > 0) {
        out[0] ^= 0x01;
      }
      return out;
    }

    @Override
    protected int engineDoFinal(
        byte[] input, int inputOffset, int inputLen, byte[] output, int outputOffset)
        throws ShortBufferException, IllegalBlockSizeException, BadPaddingException {
      int n = gcm.doFinal(input, inputOffset, inputLen, output, outputOffset);
      if (n > 0) {
        output[outputOffset] ^= 0x01;
      }
      return n;
    }
  }
}
