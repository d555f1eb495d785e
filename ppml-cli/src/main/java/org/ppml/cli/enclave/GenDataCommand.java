package org.ppml.cli.enclave;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import org.ppml.cli.CommandOutput;
import org.ppml.cli.ExitCodes;
import org.ppml.cli.OutputFile;
import org.ppml.cli.OutputOptions;
import org.ppml.enclave.sgx.SigStructBody;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ppml enclave gendata}: step one of two-step signing. It writes the 256 bytes the enclave
 * key signs, so the key itself can stay in an offline HSM.
 */
@Command(
    name = "gendata",
    mixinStandardHelpOptions = true,
    description = {
      "Two-step signing, step 1: write the 256 bytes to be signed (SIGSTRUCT [0,128) + [900,1028)).",
      "Sign them offline:  openssl dgst -sha256 -sign enclave-key.pem -out sig.bin data.bin",
      "then assemble with `ppml enclave catsig`."
    })
public final class GenDataCommand implements Callable<Integer> {
  @Mixin OutputOptions output;
  @Mixin SigStructFieldOptions fields;
  @Spec CommandSpec spec;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "Where to write the 256 signed bytes (data.bin).")
  Path out;

  @Override
  public Integer call() throws IOException {
    CommandOutput result =
        new CommandOutput(output.json(), spec.commandLine().getOut(), spec.commandLine().getErr());
    SigStructBody body = fields.body();
    byte[] data = body.signedData();
    OutputFile.write(out, data);
    ObjectNode json = CommandOutput.object();
    json.put("out", out.toString());
    json.put("bytes", data.length);
    json.put("mrEnclave", HexFormat.of().formatHex(body.enclaveHash()));
    json.put("isvProdId", body.isvProdId());
    json.put("isvSvn", body.isvSvn());
    json.put("debug", body.debug());
    json.put("date", body.signingDate().map(Object::toString).orElse(null));
    result.result(json);
    result.fields(json);
    result.note(
        "ppml: next: openssl dgst -sha256 -sign enclave-key.pem -out sig.bin "
            + out
            + ", then ppml enclave catsig --data "
            + out
            + " --signature sig.bin --public-key enclave-key.pub.pem --out X.sig");
    return ExitCodes.OK;
  }
}
