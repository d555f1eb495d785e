package org.ppml.occlum.sign;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import org.ppml.enclave.sgx.EnclaveKeyException;
import org.ppml.enclave.sgx.SigStruct;
import org.ppml.enclave.sgx.SigStructBody;
import org.ppml.enclave.sgx.SigStructFormatException;
import org.ppml.enclave.sgx.SigStructSignatureException;
import org.ppml.enclave.sgx.SigStructSigner;

/**
 * What {@code sgx_sign gendata} writes and the offline signer signs: the 256 signed bytes of the
 * SIGSTRUCT (header ‖ body, docs/enclave-signing.md), which carry MRENCLAVE, ISVPRODID, ISVSVN and
 * the attributes, so the signer can see what it is asked to sign.
 */
public final class SigningRequest {
  /** Size of the file: the two signed 128-byte halves of the SIGSTRUCT. */
  public static final int SIZE = 256;

  /** Where the 4-byte BCD date sits; {@code gendata} stamps today, so it differs between runs. */
  private static final int DATE_OFFSET = 20;

  private static final int DATE_SIZE = 4;

  private final byte[] data;
  private final SigStructBody body;

  private SigningRequest(byte[] data, SigStructBody body) {
    this.data = data;
    this.body = body;
  }

  /**
   * @throws SignToolException if the file is not exactly {@link #SIZE} bytes of SIGSTRUCT data
   */
  public static SigningRequest read(Path file) throws SignToolException {
    byte[] data;
    try (InputStream in = Files.newInputStream(file)) {
      data = in.readNBytes(SIZE + 1);
    } catch (IOException e) {
      throw new SignToolException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (data.length != SIZE) {
      throw new SignToolException(
          file
              + " is "
              + (data.length > SIZE ? "more than " + SIZE : data.length)
              + " bytes; sgx_sign gendata writes exactly "
              + SIZE);
    }
    try {
      return new SigningRequest(data, SigStructBody.parse(data));
    } catch (SigStructFormatException e) {
      throw new SignToolException(file + " is not SIGSTRUCT signing data: " + e.getMessage(), e);
    }
  }

  /** The bytes to sign. */
  public byte[] data() {
    return data.clone();
  }

  /** The fields being signed. */
  public SigStructBody body() {
    return body;
  }

  /**
   * Whether {@code other} signs the same enclave: equal in everything but the date, as {@code
   * sgx_sign catsig} compares it.
   */
  public boolean sameEnclaveAs(SigningRequest other) {
    return Arrays.equals(withoutDate(data), withoutDate(other.data));
  }

  /**
   * Verifies the offline signature and builds the SIGSTRUCT, as {@code catsig} will.
   *
   * @param signatureBigEndian the signer's 384-byte PKCS#1 v1.5 SHA-256 signature
   * @throws SignToolException if the signature does not verify under {@code publicKey}
   */
  public SigStruct assemble(byte[] signatureBigEndian, RSAPublicKey publicKey)
      throws SignToolException {
    try {
      return SigStructSigner.assemble(body, signatureBigEndian, publicKey);
    } catch (SigStructSignatureException | EnclaveKeyException e) {
      throw new SignToolException(
          SignToolException.Kind.REJECTED,
          "the signature does not verify for this enclave and key: " + e.getMessage(),
          e);
    }
  }

  private static byte[] withoutDate(byte[] data) {
    byte[] copy = data.clone();
    Arrays.fill(copy, DATE_OFFSET, DATE_OFFSET + DATE_SIZE, (byte) 0);
    return copy;
  }
}
