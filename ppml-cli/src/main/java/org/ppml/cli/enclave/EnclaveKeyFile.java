package org.ppml.cli.enclave;

import java.io.IOException;
import java.nio.file.Path;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import org.ppml.cli.ErrorReporter;
import org.ppml.cli.InputFile;
import org.ppml.enclave.sgx.EnclaveKeyException;
import org.ppml.enclave.sgx.EnclaveKeyPem;
import org.ppml.enclave.sgx.SigStruct;
import org.ppml.enclave.sgx.SigStructBody;
import org.ppml.enclave.sgx.SigStructSigner;

/**
 * An enclave key PEM given on the command line. Errors name the file and the key's shape, never its
 * content; the PEM bytes of a private key are zeroed once parsed.
 */
public final class EnclaveKeyFile {
  private final Path file;
  private final RSAPrivateCrtKey key;

  private EnclaveKeyFile(Path file, RSAPrivateCrtKey key) {
    this.file = file;
    this.key = key;
  }

  /** Reads an RSA-3072, e=3 private key (PKCS#1 or PKCS#8 PEM, unencrypted). */
  public static EnclaveKeyFile readPrivate(Path file) throws IOException {
    byte[] pem = InputFile.read(file, "key PEM", EnclaveKeyPem.MAX_PEM_BYTES);
    try {
      return new EnclaveKeyFile(file, EnclaveKeyPem.readPrivateKey(pem));
    } catch (EnclaveKeyException e) {
      throw new ErrorReporter.Located(file.toString(), e);
    } finally {
      Arrays.fill(pem, (byte) 0);
    }
  }

  /** An RSA-3072, e=3 public key; a private key PEM also works, its public half is taken. */
  public static RSAPublicKey readPublic(Path file) throws IOException {
    byte[] pem = InputFile.read(file, "key PEM", EnclaveKeyPem.MAX_PEM_BYTES);
    try {
      return EnclaveKeyPem.readPublicKey(pem);
    } catch (EnclaveKeyException e) {
      throw new ErrorReporter.Located(file.toString(), e);
    } finally {
      Arrays.fill(pem, (byte) 0);
    }
  }

  /** Signs directly (PKCS#1 v1.5, SHA-256 over the 256 signed bytes). */
  public SigStruct sign(SigStructBody body) {
    try {
      return SigStructSigner.sign(body, key);
    } catch (EnclaveKeyException e) {
      throw new ErrorReporter.Located(file.toString(), e);
    }
  }

  @Override
  public String toString() {
    return "EnclaveKeyFile[" + file + "]";
  }
}
