package org.ppml.cli.enclave;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ppml.cli.CommandOutput;
import org.ppml.cli.ErrorReporter;
import org.ppml.cli.ExitCodes;
import org.ppml.cli.InputFile;
import org.ppml.cli.OutputOptions;
import org.ppml.enclave.sgx.SigStruct;
import org.ppml.enclave.sgx.SigStructFormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ppml enclave show}: a SIGSTRUCT's fields, and whether it is genuine. A SIGSTRUCT whose
 * headers, signature or q1/q2 do not hold is a negative verdict (exit 1): EINIT would refuse it.
 * Only input that is not SIGSTRUCT-shaped at all (not 1808 bytes) is a format error (exit 2), so
 * tampering with any signed byte, the fixed headers included, reads as tampering.
 */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = {
      "Show a SIGSTRUCT (.sig, .sigstruct.bin, _css.bin): MRENCLAVE, MRSIGNER, ISV values, attributes, and whether the signature holds.",
      "Exit 1 if a fixed header, the signature or q1/q2 is invalid; exit 2 if the file is not 1808 bytes."
    })
public final class ShowSigStructCommand implements Callable<Integer> {
  /**
   * A SIGSTRUCT is 1808 bytes; anything much larger is the wrong file, reported as such by the
   * parser.
   */
  private static final long MAX_READ = 64 * 1024;

  @Mixin OutputOptions output;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SIGFILE", description = "The 1808-byte SIGSTRUCT.")
  Path file;

  @Override
  public Integer call() throws IOException {
    CommandOutput out =
        new CommandOutput(output.json(), spec.commandLine().getOut(), spec.commandLine().getErr());
    SigStruct s = read(file);
    ObjectNode json = SigStructView.fields(s);
    out.result(json);
    out.fields(json);
    if (!s.headerValid()) {
      out.note(
          "ppml: "
              + file
              + ": HEADER/HEADER2 are not SGX's fixed values (tampered or not a SIGSTRUCT); EINIT would reject it");
      return ExitCodes.NEGATIVE;
    }
    if (!s.signatureValid()) {
      out.note(
          "ppml: "
              + file
              + ": the signature does not verify under the SIGSTRUCT's own modulus (tampered or corrupt)");
      return ExitCodes.NEGATIVE;
    }
    if (!s.q1q2Valid()) {
      out.note(
          "ppml: "
              + file
              + ": Q1/Q2 do not match the signature and modulus; EINIT would reject it");
      return ExitCodes.NEGATIVE;
    }
    SigStructView.warnIfSampleKey(s, out);
    return ExitCodes.OK;
  }

  private static SigStruct read(Path file) throws IOException {
    try {
      // inspect, not parse: a changed header is a verdict on this SIGSTRUCT, not an unreadable
      // file.
      return SigStruct.inspect(InputFile.read(file, "SIGSTRUCT", MAX_READ));
    } catch (SigStructFormatException e) {
      throw new ErrorReporter.Located(file.toString(), e);
    }
  }
}
