package org.ppml.cli.enclave;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ppml.cli.CommandOutput;
import org.ppml.cli.ExitCodes;
import org.ppml.cli.OutputOptions;
import org.ppml.enclave.sgx.SigStruct;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ppml enclave sign}: direct signing, with the enclave key on this machine. */
@Command(
    name = "sign",
    mixinStandardHelpOptions = true,
    description = {
      "Sign a SIGSTRUCT with the enclave key (RSA-3072, e=3). Defaults are gramine-sgx-sign's.",
      "Prints the SIGSTRUCT's fields and the key-release policy that pins it."
    })
public final class SignCommand implements Callable<Integer> {
  @Mixin OutputOptions output;
  @Mixin SigStructFieldOptions fields;
  @Spec CommandSpec spec;

  @Option(
      names = "--key",
      required = true,
      paramLabel = "PEM",
      description = "Enclave private key (PKCS#1 or PKCS#8 PEM).")
  Path key;

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
    // The key first: a wrong key should fail before a long measurement, not after it.
    EnclaveKeyFile signingKey = EnclaveKeyFile.readPrivate(key);
    SigStruct signed = signingKey.sign(fields.body());
    SigStructView.writeAndReport(signed, out, result);
    return ExitCodes.OK;
  }
}
