package org.ppml.enclave.sgx;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * PEM encoding of enclave signing keys, as {@code openssl} and {@code gramine-sgx-sign} write them:
 * the private key as PKCS#1 ({@code RSA PRIVATE KEY}), the public key as SubjectPublicKeyInfo
 * ({@code PUBLIC KEY}). Reading also accepts PKCS#8 private keys and PKCS#1 public keys. Every key
 * read is checked to be RSA-3072 with e = 3.
 *
 * <p>Writing key files (atomically, mode 0600) is the caller's job; this class only produces and
 * consumes bytes. Callers should zero private-key PEM arrays when done with them.
 */
public final class EnclaveKeyPem {

  /** Upper bound on a PEM input; an RSA-3072 private key PEM is about 2.5 KiB. */
  public static final int MAX_PEM_BYTES = 64 * 1024;

  /**
   * @param pem a PEM private key: PKCS#1 {@code RSA PRIVATE KEY} or PKCS#8 {@code PRIVATE KEY},
   *     unencrypted
   * @return the key
   * @throws EnclaveKeyException if it cannot be read, is encrypted, or is not RSA-3072 e=3
   */
  public static RSAPrivateCrtKey readPrivateKey(byte[] pem) throws EnclaveKeyException {
    Object parsed = parseSingle(pem);
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    PrivateKey key;
    try {
      if (parsed instanceof PEMKeyPair pair) {
        key = converter.getPrivateKey(pair.getPrivateKeyInfo());
      } else if (parsed instanceof PrivateKeyInfo info) {
        key = converter.getPrivateKey(info);
      } else if (parsed instanceof PEMEncryptedKeyPair
          || parsed instanceof PKCS8EncryptedPrivateKeyInfo) {
        throw new EnclaveKeyException("enclave key PEM is encrypted; give an unencrypted key");
      } else {
        throw new EnclaveKeyException(
            "PEM does not hold a private key (found " + describe(parsed) + ")");
      }
    } catch (IOException e) {
      throw new EnclaveKeyException("enclave key PEM holds no usable RSA private key", e);
    }
    return EnclaveSigningKey.requireSgxPrivateKey(key);
  }

  /**
   * @param pem a PEM public key ({@code PUBLIC KEY} or {@code RSA PUBLIC KEY}), or a private key
   *     PEM, whose public half is taken
   * @return the public key
   * @throws EnclaveKeyException if it cannot be read or is not RSA-3072 e=3
   */
  public static RSAPublicKey readPublicKey(byte[] pem) throws EnclaveKeyException {
    Object parsed = parseSingle(pem);
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    PublicKey key;
    try {
      if (parsed instanceof SubjectPublicKeyInfo info) {
        key = converter.getPublicKey(info);
      } else if (parsed instanceof PEMKeyPair pair) {
        key = converter.getPublicKey(pair.getPublicKeyInfo());
      } else if (parsed instanceof PrivateKeyInfo) {
        return publicKeyOf(readPrivateKey(pem));
      } else {
        throw new EnclaveKeyException(
            "PEM does not hold a public key (found " + describe(parsed) + ")");
      }
    } catch (IOException e) {
      throw new EnclaveKeyException("PEM holds no usable RSA public key", e);
    }
    return EnclaveSigningKey.requireSgxKey(key);
  }

  /**
   * @param key an enclave private key
   * @return its public half
   */
  public static RSAPublicKey publicKeyOf(RSAPrivateCrtKey key) {
    try {
      return (RSAPublicKey)
          KeyFactory.getInstance("RSA")
              .generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot build RSA public keys", e);
    }
  }

  /**
   * @param key an enclave private key
   * @return PKCS#1 PEM ({@code -----BEGIN RSA PRIVATE KEY-----}); the caller should zero it after
   *     writing it out
   * @throws EnclaveKeyException if the key is not RSA-3072 e=3
   */
  public static byte[] privateKeyPem(RSAPrivateCrtKey key) throws EnclaveKeyException {
    EnclaveSigningKey.requireSgxPrivateKey(key);
    RSAPrivateKey pkcs1 =
        new RSAPrivateKey(
            key.getModulus(),
            key.getPublicExponent(),
            key.getPrivateExponent(),
            key.getPrimeP(),
            key.getPrimeQ(),
            key.getPrimeExponentP(),
            key.getPrimeExponentQ(),
            key.getCrtCoefficient());
    try {
      return pem(new PemObject("RSA PRIVATE KEY", pkcs1.getEncoded()));
    } catch (IOException e) {
      throw new IllegalStateException("cannot DER-encode an RSA private key", e);
    }
  }

  /**
   * @param key an enclave public key
   * @return SubjectPublicKeyInfo PEM ({@code -----BEGIN PUBLIC KEY-----}), what {@code openssl rsa
   *     -pubout} writes
   * @throws EnclaveKeyException if the key is not RSA-3072 e=3
   */
  public static byte[] publicKeyPem(RSAPublicKey key) throws EnclaveKeyException {
    EnclaveSigningKey.requireSgxKey(key);
    return pem(new PemObject("PUBLIC KEY", key.getEncoded()));
  }

  private static byte[] pem(PemObject object) {
    StringWriter out = new StringWriter();
    try (PemWriter writer = new PemWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new IllegalStateException("writing PEM to memory failed", e);
    }
    return out.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static Object parseSingle(byte[] pem) throws EnclaveKeyException {
    if (pem == null || pem.length == 0) {
      throw new EnclaveKeyException("key PEM is empty");
    }
    if (pem.length > MAX_PEM_BYTES) {
      throw new EnclaveKeyException(
          "key PEM is "
              + pem.length
              + " bytes, more than the "
              + MAX_PEM_BYTES
              + " an RSA-3072 key can need");
    }
    try (PEMParser parser =
        new PEMParser(new StringReader(new String(pem, StandardCharsets.US_ASCII)))) {
      Object parsed = parser.readObject();
      if (parsed == null) {
        throw new EnclaveKeyException("no PEM block found");
      }
      return parsed;
    } catch (IOException | RuntimeException e) {
      // BC reports malformed DER as IOException or as IllegalArgumentException/ClassCastException
      throw new EnclaveKeyException("key PEM is malformed", e);
    }
  }

  private static String describe(Object parsed) {
    return parsed.getClass().getSimpleName();
  }

  private EnclaveKeyPem() {}
}
