package org.ppml.crypto.provider;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.CipherSpi;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.ShortBufferException;

/**
 * SunJCE's AES/GCM/NoPadding behind a {@link CipherSpi}, for test providers that misbehave in one
 * place only: a subclass overrides the step it breaks and inherits honest forwarding for the rest.
 */
abstract class ForwardingGcmCipher extends CipherSpi {
  protected final Cipher gcm;

  ForwardingGcmCipher() {
    try {
      gcm = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
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
    return gcm.getBlockSize();
  }

  @Override
  protected int engineGetOutputSize(int inputLen) {
    return gcm.getOutputSize(inputLen);
  }

  @Override
  protected byte[] engineGetIV() {
    return gcm.getIV();
  }

  @Override
  protected AlgorithmParameters engineGetParameters() {
    return gcm.getParameters();
  }

  @Override
  protected void engineInit(int opmode, Key key, SecureRandom random) throws InvalidKeyException {
    gcm.init(opmode, key, random);
  }

  @Override
  protected void engineInit(int opmode, Key key, AlgorithmParameterSpec params, SecureRandom random)
      throws InvalidKeyException, InvalidAlgorithmParameterException {
    gcm.init(opmode, key, params, random);
  }

  @Override
  protected void engineInit(int opmode, Key key, AlgorithmParameters params, SecureRandom random)
      throws InvalidKeyException, InvalidAlgorithmParameterException {
    gcm.init(opmode, key, params, random);
  }

  @Override
  protected void engineUpdateAAD(byte[] src, int offset, int len) {
    gcm.updateAAD(src, offset, len);
  }

  @Override
  protected byte[] engineUpdate(byte[] input, int inputOffset, int inputLen) {
    return gcm.update(input, inputOffset, inputLen);
  }

  @Override
  protected int engineUpdate(
      byte[] input, int inputOffset, int inputLen, byte[] output, int outputOffset)
      throws ShortBufferException {
    return gcm.update(input, inputOffset, inputLen, output, outputOffset);
  }

  @Override
  protected byte[] engineDoFinal(byte[] input, int inputOffset, int inputLen)
      throws IllegalBlockSizeException, BadPaddingException {
    return gcm.doFinal(input, inputOffset, inputLen);
  }

  @Override
  protected int engineDoFinal(
      byte[] input, int inputOffset, int inputLen, byte[] output, int outputOffset)
      throws ShortBufferException, IllegalBlockSizeException, BadPaddingException {
    return gcm.doFinal(input, inputOffset, inputLen, output, outputOffset);
  }
}
