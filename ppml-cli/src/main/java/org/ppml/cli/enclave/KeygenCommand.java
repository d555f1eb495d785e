package org.ppml.cli.enclave;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.ppml.cli.CommandOutput;
import org.ppml.cli.ExitCodes;
import org.ppml.cli.OutputFile;
import org.ppml.cli.OutputOptions;
import org.ppml.enclave.sgx.EnclaveKeyException;
import org.ppml.enclave.sgx.EnclaveKeyPem;
import org.ppml.enclave.sgx.EnclaveSigningKey;
import org.ppml.enclave.sgx.MrSigner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ppml enclave keygen}: a new enclave signing key, RSA-3072 with e=3 as SGX requires. */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    description =
        "Generate an enclave signing key: RSA-3072, e=3, PKCS#1 PEM, written atomically with mode 0600.")
public final class KeygenCommand implements Callable<Integer> {
  @Mixin OutputOptions output;
  @Spec CommandSpec spec;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "Private key PEM to write (mode 0600).")
  Path out;

  @Option(
      names = "--public-out",
      paramLabel = "FILE",
      description = "Also write the public key PEM, e.g. for `enclave catsig`.")
  Path publicOut;

  @Option(names = "--force", description = "Replace an existing key file (the old key is lost).")
  boolean force;

  @Override
  public Integer call() throws IOException, EnclaveKeyException {
    CommandOutput result =
        new CommandOutput(output.json(), spec.commandLine().getOut(), spec.commandLine().getErr());
    // Refuse before the slow key generation, not after it.
    if (!force && Files.exists(out)) {
      throw new FileAlreadyExistsException(out.toString());
    }
    KeyPair pair = EnclaveSigningKey.generate(new SecureRandom());
    RSAPublicKey publicKey = (RSAPublicKey) pair.getPublic();
    byte[] pem = EnclaveKeyPem.privateKeyPem((RSAPrivateCrtKey) pair.getPrivate());
    try {
      OutputFile.writeSecret(out, pem, force);
    } finally {
      Arrays.fill(pem, (byte) 0);
    }
    if (publicOut != null) {
      OutputFile.write(publicOut, EnclaveKeyPem.publicKeyPem(publicKey));
    }
    String mrSigner = MrSigner.of(publicKey).hex();
    ObjectNode json = CommandOutput.object();
    json.put("out", out.toString());
    json.put("publicOut", publicOut == null ? null : publicOut.toString());
    json.put("modulusBits", EnclaveSigningKey.MODULUS_BITS);
    json.put("exponent", EnclaveSigningKey.PUBLIC_EXPONENT.intValue());
    json.put("mrSigner", mrSigner);
    result.result(json);
    result.fields(json);
    return ExitCodes.OK;
  }
}
