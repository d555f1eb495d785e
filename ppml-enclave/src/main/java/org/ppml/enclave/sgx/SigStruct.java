package org.ppml.enclave.sgx;

import static org.ppml.enclave.sgx.SigStructLayout.*;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * An SGX SIGSTRUCT (enclave signature structure): 1808 bytes, all fields little-endian.
 *
 * <p>It binds an enclave's expected MRENCLAVE, attributes and ISV identity to the signer's key.
 * Instances are immutable and keep the exact bytes they were parsed from, so {@code
 * parse(b).toBytes()} equals {@code b}. {@link #parse} checks only the length and the two fixed
 * headers; whether the signature holds is a separate question, answered by {@link
 * #signatureValid()} and {@link #q1q2Valid()}. {@link #inspect} checks only the length, for tools
 * that judge a SIGSTRUCT: there a wrong header is a verdict ({@link #headerValid()}), not an
 * unreadable file.
 */
public final class SigStruct {

  /** Size of a SIGSTRUCT in bytes. */
  public static final int SIZE = SigStructLayout.SIZE;

  private final byte[] bytes;

  private SigStruct(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * @param sigStruct the bytes of a {@code .sig} / {@code .sigstruct.bin} / {@code _css.bin} file
   * @return the parsed SIGSTRUCT
   * @throws SigStructFormatException if the length is not 1808 or a header does not match
   */
  public static SigStruct parse(byte[] sigStruct) throws SigStructFormatException {
    requireSize(sigStruct);
    byte[] copy = sigStruct.clone();
    SigStructBody.checkHeaders(copy, 0);
    return new SigStruct(copy);
  }

  /**
   * Reads any 1808 bytes as a SIGSTRUCT without requiring the fixed HEADER and HEADER2, so that a
   * tool judging a SIGSTRUCT ({@code ppml enclave show}) can report one whose header bytes were
   * tampered with as tampered ({@link #headerValid()} false; the headers are signed, so {@link
   * #signatureValid()} is false too) instead of refusing to read it. Whatever uses a SIGSTRUCT
   * rather than judges it should call {@link #parse}.
   *
   * @param sigStruct the bytes of a {@code .sig} / {@code .sigstruct.bin} / {@code _css.bin} file
   * @return the SIGSTRUCT, whose headers may be wrong
   * @throws SigStructFormatException if the length is not 1808
   */
  public static SigStruct inspect(byte[] sigStruct) throws SigStructFormatException {
    requireSize(sigStruct);
    return new SigStruct(sigStruct.clone());
  }

  private static void requireSize(byte[] sigStruct) throws SigStructFormatException {
    if (sigStruct == null || sigStruct.length != SIZE) {
      throw new SigStructFormatException(
          "length",
          -1,
          "expected " + SIZE + " bytes, got " + (sigStruct == null ? 0 : sigStruct.length));
    }
  }

  /**
   * Assembles a SIGSTRUCT from its parts. No check is made that the signature is valid; the signer
   * does that.
   */
  static SigStruct assemble(
      SigStructBody body,
      BigInteger modulus,
      long exponent,
      BigInteger signature,
      BigInteger q1,
      BigInteger q2) {
    byte[] b = new byte[SIZE];
    byte[] signed = body.signedData();
    System.arraycopy(signed, 0, b, 0, SIGNED_FIRST_END);
    System.arraycopy(
        signed, SIGNED_FIRST_END, b, SIGNED_SECOND_START, SIGNED_SECOND_END - SIGNED_SECOND_START);
    LittleEndian.putUnsigned(b, MODULUS, KEY_BYTES, modulus);
    LittleEndian.putU32(b, EXPONENT, exponent);
    LittleEndian.putUnsigned(b, SIGNATURE, KEY_BYTES, signature);
    LittleEndian.putUnsigned(b, Q1, KEY_BYTES, q1);
    LittleEndian.putUnsigned(b, Q2, KEY_BYTES, q2);
    return new SigStruct(b);
  }

  /**
   * @return the 1808 bytes (a copy)
   */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /**
   * @return the signed part (what {@code gendata} writes)
   * @throws IllegalStateException if the headers are wrong ({@link #inspect}): such fields must
   *     never be signed again
   */
  public SigStructBody body() {
    if (!headerValid()) {
      throw new IllegalStateException("SIGSTRUCT HEADER/HEADER2 are not SGX's constants");
    }
    return SigStructBody.wrap(signedData());
  }

  /**
   * EINIT refuses a SIGSTRUCT whose HEADER or HEADER2 differs from the architectural constants.
   * Always true for one from {@link #parse}.
   *
   * @return whether both fixed headers, HEADER (bytes 0..15) and HEADER2 (24..39), are right
   */
  public boolean headerValid() {
    return Arrays.equals(bytes, HEADER, HEADER + 16, HEADER_VALUE, 0, 16)
        && Arrays.equals(bytes, HEADER2, HEADER2 + 16, HEADER2_VALUE, 0, 16);
  }

  /**
   * @return the 256 signed bytes: [0,128) followed by [900,1028)
   */
  public byte[] signedData() {
    byte[] d = new byte[SIGNED_DATA_SIZE];
    System.arraycopy(bytes, 0, d, 0, SIGNED_FIRST_END);
    System.arraycopy(
        bytes, SIGNED_SECOND_START, d, SIGNED_FIRST_END, SIGNED_SECOND_END - SIGNED_SECOND_START);
    return d;
  }

  /**
   * @return the 16-byte HEADER
   */
  public byte[] header() {
    return Arrays.copyOfRange(bytes, HEADER, HEADER + 16);
  }

  /**
   * @return the 16-byte HEADER2
   */
  public byte[] header2() {
    return Arrays.copyOfRange(bytes, HEADER2, HEADER2 + 16);
  }

  /**
   * @return VENDOR (0x8086 for Intel)
   */
  public long vendor() {
    return LittleEndian.u32(bytes, VENDOR);
  }

  /**
   * @return the raw BCD DATE word
   */
  public long rawDate() {
    return LittleEndian.u32(bytes, DATE);
  }

  /**
   * @return DATE, or empty when the word is not a valid BCD date
   */
  public Optional<LocalDate> date() {
    return BcdDate.decode(rawDate());
  }

  /**
   * @return DATE as written: a date or the all-zero word; empty if the word is neither
   */
  public Optional<SigStructDate> signingDate() {
    return SigStructDate.fromWord(rawDate());
  }

  /**
   * @return SWDEFINED
   */
  public long swDefined() {
    return LittleEndian.u32(bytes, SW_DEFINED);
  }

  /**
   * @return the 384-byte little-endian MODULUS, as stored
   */
  public byte[] modulusLittleEndian() {
    return Arrays.copyOfRange(bytes, MODULUS, MODULUS + KEY_BYTES);
  }

  /**
   * @return MODULUS as an integer
   */
  public BigInteger modulus() {
    return LittleEndian.unsigned(bytes, MODULUS, KEY_BYTES);
  }

  /**
   * @return EXPONENT (3 for any SIGSTRUCT EINIT accepts)
   */
  public long exponent() {
    return LittleEndian.u32(bytes, EXPONENT);
  }

  /**
   * @return SIGNATURE as an integer (stored little-endian)
   */
  public BigInteger signature() {
    return LittleEndian.unsigned(bytes, SIGNATURE, KEY_BYTES);
  }

  /**
   * @return MISCSELECT
   */
  public long miscSelect() {
    return LittleEndian.u32(bytes, MISC_SELECT);
  }

  /**
   * @return MISCMASK
   */
  public long miscMask() {
    return LittleEndian.u32(bytes, MISC_MASK);
  }

  /**
   * @return ATTRIBUTES
   */
  public SgxAttributes attributes() {
    return new SgxAttributes(
        LittleEndian.u64(bytes, ATTRIBUTES), LittleEndian.u64(bytes, ATTRIBUTES + 8));
  }

  /**
   * @return ATTRIBUTEMASK
   */
  public SgxAttributes attributeMask() {
    return new SgxAttributes(
        LittleEndian.u64(bytes, ATTRIBUTE_MASK), LittleEndian.u64(bytes, ATTRIBUTE_MASK + 8));
  }

  /**
   * @return ENCLAVEHASH, the MRENCLAVE this SIGSTRUCT vouches for (32 bytes)
   */
  public byte[] enclaveHash() {
    return Arrays.copyOfRange(bytes, ENCLAVE_HASH, ENCLAVE_HASH + 32);
  }

  /**
   * @return ISVPRODID
   */
  public int isvProdId() {
    return LittleEndian.u16(bytes, ISV_PROD_ID);
  }

  /**
   * @return ISVSVN
   */
  public int isvSvn() {
    return LittleEndian.u16(bytes, ISV_SVN);
  }

  /**
   * @return Q1 as an integer
   */
  public BigInteger q1() {
    return LittleEndian.unsigned(bytes, Q1, KEY_BYTES);
  }

  /**
   * @return Q2 as an integer
   */
  public BigInteger q2() {
    return LittleEndian.unsigned(bytes, Q2, KEY_BYTES);
  }

  /**
   * @return whether ATTRIBUTES has the DEBUG flag
   */
  public boolean debug() {
    return attributes().debug();
  }

  /**
   * @return MRSIGNER, SHA-256 of the stored modulus
   */
  public MrSigner mrSigner() {
    return MrSigner.ofModulus(modulusLittleEndian());
  }

  /**
   * True when a production (non-debug) enclave is signed with the public Intel SDK sample key;
   * callers must warn loudly, since anyone can produce such a signature.
   *
   * @return whether this SIGSTRUCT is a non-debug enclave signed with the sample key
   */
  public boolean productionSignedWithSampleKey() {
    return !debug() && mrSigner().isIntelSdkSampleKey();
  }

  /**
   * Checks the RSA signature as EINIT would: exponent 3, a 3072-bit modulus, and a PKCS#1 v1.5
   * SHA-256 signature over the signed data. The headers are part of the signed data, so a changed
   * header fails here too; whether they are SGX's constants is {@link #headerValid()}.
   *
   * @return whether the signature is valid under the embedded modulus
   */
  public boolean signatureValid() {
    BigInteger n = modulus();
    BigInteger s = signature();
    if (exponent() != 3 || n.bitLength() != EnclaveSigningKey.MODULUS_BITS || s.compareTo(n) >= 0) {
      return false;
    }
    try {
      PublicKey key =
          KeyFactory.getInstance("RSA")
              .generatePublic(new RSAPublicKeySpec(n, EnclaveSigningKey.PUBLIC_EXPONENT));
      Signature verifier = Signature.getInstance("SHA256withRSA");
      verifier.initVerify(key);
      verifier.update(signedData());
      return verifier.verify(toBigEndian(s));
    } catch (GeneralSecurityException | RuntimeException e) {
      // A hostile modulus (even, tiny factors) can make the provider refuse the key: not valid.
      return false;
    }
  }

  /**
   * Checks the two helper values EINIT uses to verify without division: q1 = ⌊s²/n⌋ and q2 = ⌊s·(s²
   * mod n)/n⌋.
   *
   * @return whether Q1 and Q2 match the signature and modulus
   */
  public boolean q1q2Valid() {
    BigInteger n = modulus();
    if (n.signum() == 0) {
      return false;
    }
    BigInteger[] expected = q1q2(signature(), n);
    return expected[0].equals(q1()) && expected[1].equals(q2());
  }

  /**
   * @return {q1, q2} for signature s under modulus n
   */
  static BigInteger[] q1q2(BigInteger s, BigInteger n) {
    BigInteger s2 = s.multiply(s);
    BigInteger[] qr = s2.divideAndRemainder(n);
    return new BigInteger[] {qr[0], s.multiply(qr[1]).divide(n)};
  }

  static byte[] toBigEndian(BigInteger v) {
    byte[] out = new byte[KEY_BYTES];
    byte[] le = new byte[KEY_BYTES];
    LittleEndian.putUnsigned(le, 0, KEY_BYTES, v);
    for (int i = 0; i < KEY_BYTES; i++) {
      out[i] = le[KEY_BYTES - 1 - i];
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SigStruct other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "SigStruct[mrEnclave="
        + HexFormat.of().formatHex(enclaveHash())
        + ", mrSigner="
        + mrSigner()
        + ", isvProdId="
        + isvProdId()
        + ", isvSvn="
        + isvSvn()
        + ", attributes="
        + attributes()
        + "]";
  }
}
