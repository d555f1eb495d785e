package org.ppml.cli.gramine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ppml.cli.CommandOutput;
import org.ppml.cli.ExitCodes;
import org.ppml.cli.OutputOptions;
import org.ppml.cli.enclave.EnclaveKeyFile;
import org.ppml.cli.enclave.GramineEnclaveFiles;
import org.ppml.cli.enclave.SigStructView;
import org.ppml.cli.enclave.SigningDateOption;
import org.ppml.enclave.sgx.SigStruct;
import org.ppml.graphene.layout.GramineMeasurement;
import org.ppml.graphene.sign.GramineSigner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ppml gramine sign}: what {@code gramine-sgx-sign} does, byte for byte: measure the exact
 * {@code .manifest.sgx} with {@code libpal.so} and sign the SIGSTRUCT fields Gramine derives from
 * the manifest.
 */
@Command(
    name = "sign",
    mixinStandardHelpOptions = true,
    description = {
      "Measure a Gramine v1.9 enclave (.manifest.sgx + libpal.so) and sign it as gramine-sgx-sign does.",
      "Prints MRENCLAVE, MRSIGNER and the key-release policy that pins the enclave."
    })
public final class GramineSignCommand implements Callable<Integer> {
  @Mixin OutputOptions output;
  @Mixin SigningDateOption date;
  @Spec CommandSpec spec;

  // Issue 4 spells it --manifest-sgx, the CLI brief --manifest; both name the measured file.
  @Option(
      names = {"--manifest-sgx", "--manifest"},
      required = true,
      paramLabel = "X.manifest.sgx",
      description = "The exact manifest bytes to measure.")
  Path manifest;

  @Option(
      names = "--libpal",
      required = true,
      paramLabel = "libpal.so",
      description = "Gramine's SGX PAL.")
  Path libpal;

  @Option(
      names = "--key",
      required = true,
      paramLabel = "PEM",
      description = "Enclave private key (RSA-3072, e=3).")
  Path key;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "X.sig",
      description = "Where to write the SIGSTRUCT.")
  Path out;

  @Override
  public Integer call() throws IOException {
    CommandOutput result =
        new CommandOutput(output.json(), spec.commandLine().getOut(), spec.commandLine().getErr());
    EnclaveKeyFile signingKey = EnclaveKeyFile.readPrivate(key);
    GramineMeasurement measurement = GramineEnclaveFiles.measure(manifest, libpal);
    SigStruct signed = signingKey.sign(GramineSigner.body(measurement, date.date()));
    SigStructView.writeAndReport(signed, out, result);
    return ExitCodes.OK;
  }
}
