package org.ppml.enclave.sgx;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAKeyGenParameterSpec;

/**
 * The enclave signing key's shape, which the hardware fixes: RSA with a 3072-bit modulus and public
 * exponent 3 (EINIT checks the SIGSTRUCT with exactly that). Creates such keys and rejects any
 * other.
 */
public final class EnclaveSigningKey {

  /** Modulus size SGX requires. */
  public static final int MODULUS_BITS = 3072;

  /** Public exponent SGX requires. */
  public static final BigInteger PUBLIC_EXPONENT = BigInteger.valueOf(3);

  /**
   * Generates a new enclave signing key pair.
   *
   * @param random the randomness source
   * @return an RSA-3072 key pair with e = 3
   */
  public static KeyPair generate(SecureRandom random) {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
      gen.initialize(new RSAKeyGenParameterSpec(MODULUS_BITS, PUBLIC_EXPONENT), random);
      return gen.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot generate RSA-3072 e=3 keys", e);
    }
  }

  /**
   * @param key a public key
   * @return the key as RSA, after checking its size and exponent
   * @throws EnclaveKeyException if it is not an RSA-3072, e=3 key
   */
  public static RSAPublicKey requireSgxKey(Key key) throws EnclaveKeyException {
    if (!(key instanceof RSAPublicKey rsa)) {
      throw new EnclaveKeyException(
          "enclave key must be RSA, got " + (key == null ? "nothing" : key.getAlgorithm()));
    }
    check(rsa.getModulus(), rsa.getPublicExponent());
    return rsa;
  }

  /**
   * @param key a private key
   * @return the key as an RSA CRT key, after checking its size and public exponent
   * @throws EnclaveKeyException if it is not an RSA-3072, e=3 key with CRT parameters
   */
  public static RSAPrivateCrtKey requireSgxPrivateKey(Key key) throws EnclaveKeyException {
    if (!(key instanceof RSAPrivateCrtKey rsa)) {
      throw new EnclaveKeyException(
          "enclave key must be an RSA private key with CRT parameters, got "
              + (key == null ? "nothing" : key.getAlgorithm()));
    }
    check(rsa.getModulus(), rsa.getPublicExponent());
    return rsa;
  }

  private static void check(BigInteger modulus, BigInteger exponent) throws EnclaveKeyException {
    if (modulus.bitLength() != MODULUS_BITS) {
      throw new EnclaveKeyException(
          "enclave key must be RSA-"
              + MODULUS_BITS
              + " (SGX requirement), got RSA-"
              + modulus.bitLength());
    }
    if (!PUBLIC_EXPONENT.equals(exponent)) {
      throw new EnclaveKeyException(
          "enclave key must have public exponent 3 (SGX requirement), got "
              + (exponent.bitLength() <= 64
                  ? exponent.toString()
                  : "a " + exponent.bitLength() + "-bit exponent"));
    }
  }

  private EnclaveSigningKey() {}
}
