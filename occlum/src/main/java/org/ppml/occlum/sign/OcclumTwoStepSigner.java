package org.ppml.occlum.sign;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.interfaces.RSAPublicKey;
import java.util.HexFormat;
import org.ppml.crypto.fs.BoundedFile;
import org.ppml.enclave.sgx.EnclaveKeyException;
import org.ppml.enclave.sgx.EnclaveKeyPem;
import org.ppml.enclave.sgx.SigStruct;
import org.ppml.enclave.sgx.SigStructSigner;

/**
 * Two-step signing behind {@code occlum build --sign-tool}: the build host holds only the public
 * key, and the signature is exchanged through a directory.
 *
 * <ol>
 *   <li>First build: {@code gendata} measures the LibOS; the adapter writes {@value #REQUEST} and
 *       stops the build ({@link SignToolException#pending()}), printing MRENCLAVE.
 *   <li>The request goes to the offline signer (an HSM, or {@code openssl dgst -sha256 -sign}),
 *       which returns {@value #SIGNATURE}: 384 bytes, big-endian PKCS#1 v1.5.
 *   <li>Second build: {@code gendata} runs again; the adapter checks that it still describes the
 *       signed enclave (everything but the date), verifies the signature under the public key, and
 *       only then lets {@code catsig} write the signed LibOS.
 * </ol>
 */
public final class OcclumTwoStepSigner {
  /** The signing data waiting for a signature. */
  public static final String REQUEST = "signing-request.bin";

  /** The signature the offline signer returns. */
  public static final String SIGNATURE = "signature.bin";

  private static final String FRESH = "gendata.bin";

  private final SgxSignTool sgxSign;
  private final Path exchange;

  /**
   * @param sgxSign Intel's {@code sgx_sign}
   * @param exchange the directory where the request is left and the signature is put
   */
  public OcclumTwoStepSigner(SgxSignTool sgxSign, Path exchange) {
    this.sgxSign = sgxSign;
    this.exchange = exchange;
  }

  /**
   * Runs one {@code sign} call from Occlum.
   *
   * @return the SIGSTRUCT now embedded in {@code -out}
   * @throws SignToolException pending if the signature is not there yet; otherwise what failed
   */
  public SigStruct sign(SgxSignInvocation invocation) throws SignToolException {
    RSAPublicKey key = publicKey(invocation.key());
    Path request = exchange.resolve(REQUEST);
    Path signature = exchange.resolve(SIGNATURE);
    Path fresh = exchange.resolve(FRESH);
    try {
      Files.createDirectories(exchange);
      Files.deleteIfExists(fresh);
    } catch (IOException e) {
      throw new SignToolException("cannot use " + exchange + ": " + e.getMessage(), e);
    }
    sgxSign.gendata(invocation, fresh);
    SigningRequest current = SigningRequest.read(fresh);
    if (!Files.exists(signature)) {
      move(fresh, request);
      throw SignToolException.pending(
          "the enclave (MRENCLAVE "
              + hex(current.body().enclaveHash())
              + ") needs signing: sign "
              + request
              + " offline, e.g. `openssl dgst -sha256 -sign enclave-key.pem"
              + " -out "
              + SIGNATURE
              + " "
              + REQUEST
              + "`, put "
              + SIGNATURE
              + " in "
              + exchange
              + ", then run occlum build again");
    }
    if (!Files.exists(request)) {
      throw new SignToolException(signature + " exists without the " + REQUEST + " it signs");
    }
    SigningRequest signed = SigningRequest.read(request);
    if (!signed.sameEnclaveAs(current)) {
      throw new SignToolException(
          SignToolException.Kind.REJECTED,
          "the enclave changed since "
              + request
              + " was signed (MRENCLAVE "
              + hex(signed.body().enclaveHash())
              + ", now "
              + hex(current.body().enclaveHash())
              + "); delete "
              + signature
              + " and "
              + request
              + " to request a new signature",
          null);
    }
    SigStruct sigStruct = signed.assemble(readSignature(signature), key);
    sgxSign.catsig(invocation, signature, request);
    try {
      Files.deleteIfExists(fresh);
    } catch (IOException ignored) {
      // A leftover copy of public signing data is harmless; the next run replaces it.
    }
    return sigStruct;
  }

  private static RSAPublicKey publicKey(Path file) throws SignToolException {
    byte[] pem = readBounded(file, EnclaveKeyPem.MAX_PEM_BYTES);
    if (new String(pem, StandardCharsets.US_ASCII).contains("PRIVATE KEY")) {
      throw new SignToolException(
          file
              + " is a private key; give occlum build --sign-key the enclave"
              + " PUBLIC key, so that the private key stays with the offline signer");
    }
    try {
      return EnclaveKeyPem.readPublicKey(pem);
    } catch (EnclaveKeyException e) {
      throw new SignToolException(file + ": " + e.getMessage(), e);
    }
  }

  private static byte[] readSignature(Path file) throws SignToolException {
    byte[] sig = readBounded(file, SigStructSigner.SIGNATURE_BYTES);
    if (sig.length != SigStructSigner.SIGNATURE_BYTES) {
      throw new SignToolException(
          file
              + " is "
              + sig.length
              + " bytes; the signature is "
              + SigStructSigner.SIGNATURE_BYTES
              + " bytes, big-endian (openssl dgst -sign output)");
    }
    return sig;
  }

  private static byte[] readBounded(Path file, int max) throws SignToolException {
    try {
      return BoundedFile.read(file, max);
    } catch (IOException e) {
      throw new SignToolException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static void move(Path from, Path to) throws SignToolException {
    try {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new SignToolException("cannot write " + to + ": " + e.getMessage(), e);
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
