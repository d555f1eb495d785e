package org.ppml.enclave.sgx;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * MRSIGNER: SHA-256 of the enclave key's 384-byte little-endian modulus. It is the identity of
 * whoever signed an enclave, and what a key-release policy pins with {@code mrSigner}.
 */
public final class MrSigner {

  /**
   * MRSIGNER of the RSA key shipped as a sample with the Intel SGX SDK, which is also Occlum's
   * default signing key. Its private half is public, so it proves nothing about who signed.
   */
  public static final MrSigner INTEL_SDK_SAMPLE_KEY =
      new MrSigner(
          HexFormat.of()
              .parseHex("83d719e77deaca1470f6baf62a4d774303c899db69020f9c70ee1dfc08c7ce9e"));

  private final byte[] value;

  private MrSigner(byte[] value) {
    this.value = value;
  }

  /**
   * @param value a 32-byte MRSIGNER, e.g. from a quote or a policy
   * @return it as an MrSigner
   */
  public static MrSigner of(byte[] value) {
    if (value == null || value.length != 32) {
      throw new IllegalArgumentException("MRSIGNER must be 32 bytes");
    }
    return new MrSigner(value.clone());
  }

  /**
   * @param modulusLittleEndian the 384-byte little-endian modulus as stored in a SIGSTRUCT
   * @return SHA-256 of it
   */
  public static MrSigner ofModulus(byte[] modulusLittleEndian) {
    if (modulusLittleEndian == null || modulusLittleEndian.length != SigStructLayout.KEY_BYTES) {
      throw new IllegalArgumentException("SGX modulus must be 384 bytes");
    }
    return new MrSigner(sha256(modulusLittleEndian));
  }

  /**
   * @param key an RSA public key whose modulus fits in 3072 bits
   * @return its MRSIGNER
   */
  public static MrSigner of(RSAPublicKey key) {
    BigInteger n = key.getModulus();
    byte[] le = new byte[SigStructLayout.KEY_BYTES];
    LittleEndian.putUnsigned(le, 0, le.length, n);
    return new MrSigner(sha256(le));
  }

  /**
   * @return the 32 bytes (a copy)
   */
  public byte[] value() {
    return value.clone();
  }

  /**
   * @return lowercase hex
   */
  public String hex() {
    return HexFormat.of().formatHex(value);
  }

  /**
   * Callers warn loudly when this is true for a non-debug enclave: anyone can sign with the sample
   * key, so a production policy pinning this MRSIGNER trusts everybody.
   *
   * @return whether this is the Intel SDK sample key (Occlum's default)
   */
  public boolean isIntelSdkSampleKey() {
    return equals(INTEL_SDK_SAMPLE_KEY);
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MrSigner other && MessageDigest.isEqual(value, other.value);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return hex();
  }
}
