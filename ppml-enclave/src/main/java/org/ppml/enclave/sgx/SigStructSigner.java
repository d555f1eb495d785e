package org.ppml.enclave.sgx;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;

/**
 * Produces signed SIGSTRUCTs, in one step or two.
 *
 * <ul>
 *   <li><b>Direct</b>: {@link #sign} signs the body with the enclave key.
 *   <li><b>Two-step</b>: {@link SigStructBody#signedData()} is the 256-byte {@code data.bin}
 *       ({@code gendata}); an offline HSM signs it, e.g. {@code openssl dgst -sha256 -sign
 *       enclave-key.pem -out sig.bin data.bin}, giving 384 big-endian bytes; {@link #assemble}
 *       ({@code catsig}) checks that signature against the public key and only then builds the
 *       SIGSTRUCT.
 * </ul>
 *
 * <p>Both paths give byte-identical results, since PKCS#1 v1.5 signatures are deterministic.
 */
public final class SigStructSigner {

  /** Size of the detached signature in two-step signing: a 3072-bit integer, big-endian. */
  public static final int SIGNATURE_BYTES = SigStructLayout.KEY_BYTES;

  /**
   * Signs directly with the enclave key.
   *
   * @param body the fields to sign
   * @param key the enclave private key
   * @return the signed SIGSTRUCT
   * @throws EnclaveKeyException if the key is not RSA-3072 with e = 3
   */
  public static SigStruct sign(SigStructBody body, RSAPrivateCrtKey key)
      throws EnclaveKeyException {
    EnclaveSigningKey.requireSgxPrivateKey(key);
    byte[] signature;
    try {
      Signature signer = Signature.getInstance("SHA256withRSA");
      signer.initSign(key);
      signer.update(body.signedData());
      signature = signer.sign();
    } catch (GeneralSecurityException e) {
      throw new EnclaveKeyException("the JVM refused to sign with the enclave key", e);
    }
    return build(body, key.getModulus(), new BigInteger(1, signature));
  }

  /**
   * Two-step signing, second step ({@code catsig}): verifies a detached signature and builds the
   * SIGSTRUCT. Nothing is built unless the signature verifies.
   *
   * @param signedData the 256 bytes written by {@code gendata}
   * @param signatureBigEndian the HSM's PKCS#1 v1.5 SHA-256 signature, 384 bytes big-endian
   * @param publicKey the enclave public key
   * @return the signed SIGSTRUCT
   * @throws SigStructFormatException if the signed data is malformed
   * @throws SigStructSignatureException if the signature does not verify under the key
   * @throws EnclaveKeyException if the key is not RSA-3072 with e = 3
   */
  public static SigStruct assemble(
      byte[] signedData, byte[] signatureBigEndian, RSAPublicKey publicKey)
      throws SigStructFormatException, SigStructSignatureException, EnclaveKeyException {
    return assemble(SigStructBody.parse(signedData), signatureBigEndian, publicKey);
  }

  /**
   * As {@link #assemble(byte[], byte[], RSAPublicKey)}, from a body already in hand.
   *
   * @param body the signed fields
   * @param signatureBigEndian 384 bytes big-endian
   * @param publicKey the enclave public key
   * @return the signed SIGSTRUCT
   * @throws SigStructSignatureException if the signature does not verify under the key
   * @throws EnclaveKeyException if the key is not RSA-3072 with e = 3
   */
  public static SigStruct assemble(
      SigStructBody body, byte[] signatureBigEndian, RSAPublicKey publicKey)
      throws SigStructSignatureException, EnclaveKeyException {
    EnclaveSigningKey.requireSgxKey(publicKey);
    if (signatureBigEndian == null || signatureBigEndian.length != SIGNATURE_BYTES) {
      throw new SigStructSignatureException(
          "signature must be "
              + SIGNATURE_BYTES
              + " bytes (RSA-3072, big-endian), got "
              + (signatureBigEndian == null ? 0 : signatureBigEndian.length));
    }
    BigInteger s = new BigInteger(1, signatureBigEndian);
    boolean valid;
    try {
      Signature verifier = Signature.getInstance("SHA256withRSA");
      verifier.initVerify(publicKey);
      verifier.update(body.signedData());
      valid = s.compareTo(publicKey.getModulus()) < 0 && verifier.verify(signatureBigEndian);
    } catch (GeneralSecurityException e) {
      valid = false;
    }
    if (!valid) {
      throw new SigStructSignatureException(
          "signature does not verify over the signed data under public key "
              + "with MRSIGNER "
              + MrSigner.of(publicKey).hex()
              + " (wrong key, wrong data.bin, or not PKCS#1 v1.5 SHA-256)");
    }
    return build(body, publicKey.getModulus(), s);
  }

  private static SigStruct build(SigStructBody body, BigInteger n, BigInteger s) {
    BigInteger[] q = SigStruct.q1q2(s, n);
    return SigStruct.assemble(body, n, 3, s, q[0], q[1]);
  }

  private SigStructSigner() {}
}
