package org.ppml.cli.enclave;

import java.io.IOException;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.util.concurrent.Callable;
import org.ppml.cli.CommandOutput;
import org.ppml.cli.ErrorReporter;
import org.ppml.cli.ExitCodes;
import org.ppml.cli.InputFile;
import org.ppml.cli.OutputOptions;
import org.ppml.enclave.sgx.EnclaveKeyException;
import org.ppml.enclave.sgx.SigStruct;
import org.ppml.enclave.sgx.SigStructFormatException;
import org.ppml.enclave.sgx.SigStructSignatureException;
import org.ppml.enclave.sgx.SigStructSigner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ppml enclave catsig}: step two of two-step signing. The detached signature is checked
 * against the public key before anything is written, so a signature by the wrong key, or over other
 * data, never becomes a SIGSTRUCT (exit 1).
 */
@Command(
    name = "catsig",
    mixinStandardHelpOptions = true,
    description = {
      "Two-step signing, step 2: verify a detached PKCS#1 v1.5 SHA-256 signature (384 bytes, big-endian, as openssl writes it) over data.bin under the public key, then write the SIGSTRUCT.",
      "Exit 1, writing nothing, if it does not verify."
    })
public final class CatSigCommand implements Callable<Integer> {
  /**
   * data.bin is 256 bytes and the signature 384; larger files are the wrong file, reported by the
   * parser.
   */
  private static final long MAX_READ = 64 * 1024;

  @Mixin OutputOptions output;
  @Spec CommandSpec spec;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "FILE",
      description = "The 256 bytes written by `enclave gendata`.")
  Path data;

  @Option(
      names = "--signature",
      required = true,
      paramLabel = "FILE",
      description = "The HSM's signature over them, 384 bytes big-endian.")
  Path signature;

  @Option(
      names = "--public-key",
      required = true,
      paramLabel = "PEM",
      description = "The enclave public key (a private key PEM also works).")
  Path publicKey;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "SIGFILE",
      description = "Where to write the 1808-byte SIGSTRUCT.")
  Path out;

  @Override
  public Integer call() throws IOException {
    CommandOutput result =
        new CommandOutput(output.json(), spec.commandLine().getOut(), spec.commandLine().getErr());
    RSAPublicKey key = EnclaveKeyFile.readPublic(publicKey);
    byte[] signedData = InputFile.read(data, "signed data file", MAX_READ);
    byte[] signatureBytes = InputFile.read(signature, "signature", MAX_READ);
    SigStruct assembled;
    try {
      assembled = SigStructSigner.assemble(signedData, signatureBytes, key);
    } catch (SigStructFormatException e) {
      throw new ErrorReporter.Located(data.toString(), e);
    } catch (SigStructSignatureException e) {
      throw new ErrorReporter.Located(signature.toString(), e);
    } catch (EnclaveKeyException e) {
      throw new ErrorReporter.Located(publicKey.toString(), e);
    }
    SigStructView.writeAndReport(assembled, out, result);
    return ExitCodes.OK;
  }
}
