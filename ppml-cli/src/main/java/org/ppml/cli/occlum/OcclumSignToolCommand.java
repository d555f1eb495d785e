package org.ppml.cli.occlum;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import org.ppml.cli.CommandOutput;
import org.ppml.cli.ErrorReporter;
import org.ppml.cli.ExitCodes;
import org.ppml.cli.OutputOptions;
import org.ppml.enclave.sgx.SigStruct;
import org.ppml.occlum.sign.OcclumTwoStepSigner;
import org.ppml.occlum.sign.SgxSignInvocation;
import org.ppml.occlum.sign.SgxSignTool;
import org.ppml.occlum.sign.SignToolException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code ppml occlum sign-tool sign -key PUB -config X -enclave SO -out SIGNED}: what the script
 * from {@code sign-tool-script} runs when Occlum signs. The arguments are Occlum's, in {@code
 * sgx_sign}'s syntax; the rest comes from the environment ({@code SGX_SIGN}, {@code PPML_SIGN_DIR})
 * because Occlum passes nothing else.
 *
 * <p>Exit 1 stops the build while the signature is pending or when it is rejected; the message says
 * which and what to do.
 */
@Command(
    name = "sign-tool",
    mixinStandardHelpOptions = true,
    description =
        "Occlum's sign tool for two-step signing (run by the sign-tool-script; sgx_sign arguments).")
public final class OcclumSignToolCommand implements Callable<Integer> {
  @Mixin OutputOptions output;
  @Spec CommandSpec spec;

  @Option(
      names = "--sgx-sign",
      paramLabel = "PATH",
      defaultValue = "${env:SGX_SIGN:-${env:SGX_SDK:-/opt/occlum/sgxsdk-tools}/bin/x64/sgx_sign}",
      description = "Intel's sgx_sign (env SGX_SIGN; default: $SGX_SDK/bin/x64/sgx_sign).")
  Path sgxSign;

  @Option(
      names = "--exchange-dir",
      paramLabel = "DIR",
      defaultValue = "${env:PPML_SIGN_DIR:-ppml-signing}",
      description =
          "Where the signing request is left and the signature is put (env PPML_SIGN_DIR).")
  Path exchange;

  @Unmatched List<String> argv = new ArrayList<>();

  @Override
  public Integer call() {
    SigStruct sigStruct;
    try {
      SgxSignInvocation invocation = SgxSignInvocation.parse(argv);
      sigStruct = new OcclumTwoStepSigner(new SgxSignTool(sgxSign), exchange).sign(invocation);
    } catch (SignToolException e) {
      switch (e.kind()) {
        case PENDING -> throw new ErrorReporter.NegativeVerdict("sign.pending", e.getMessage());
        case REJECTED -> throw new ErrorReporter.NegativeVerdict("sign.rejected", e.getMessage());
        default -> throw new ErrorReporter.UsageError(e.getMessage());
      }
    }
    CommandOutput result =
        new CommandOutput(output.json(), spec.commandLine().getOut(), spec.commandLine().getErr());
    ObjectNode json = CommandOutput.object();
    json.put("mrEnclave", HexFormat.of().formatHex(sigStruct.enclaveHash()));
    json.put("mrSigner", sigStruct.mrSigner().hex());
    json.put("isvProdId", sigStruct.isvProdId());
    json.put("isvSvn", sigStruct.isvSvn());
    json.put("debug", sigStruct.debug());
    result.result(json);
    if (sigStruct.productionSignedWithSampleKey()) {
      result.note(
          "WARNING: a production enclave signed with Intel's public SDK sample key proves nothing about who built it");
    }
    result.note(
        "signed: MRENCLAVE "
            + json.get("mrEnclave").asText()
            + ", MRSIGNER "
            + json.get("mrSigner").asText());
    return ExitCodes.OK;
  }
}
