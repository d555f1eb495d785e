package org.ppml.cli.occlum;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ppml.cli.CommandOutput;
import org.ppml.cli.ErrorReporter;
import org.ppml.cli.ExitCodes;
import org.ppml.cli.OutputOptions;
import org.ppml.occlum.sign.SignToolScript;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ppml occlum sign-tool-script}: writes the executable for {@code occlum build --sign-tool}.
 */
@Command(
    name = "sign-tool-script",
    mixinStandardHelpOptions = true,
    description = "Write the script to give occlum build --sign-tool for two-step signing.")
public final class OcclumSignToolScriptCommand implements Callable<Integer> {
  @Mixin OutputOptions output;
  @Spec CommandSpec spec;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "Where to write the script.")
  Path out;

  @Option(
      names = "--ppml",
      paramLabel = "LAUNCHER",
      description = "How the script starts ppml (default: ppml on PATH).")
  String ppml = "ppml";

  @Option(names = "--force", description = "Replace an existing file.")
  boolean force;

  @Override
  public Integer call() throws IOException {
    if (Files.exists(out) && !force) {
      throw new FileAlreadyExistsException(out.toString());
    }
    try {
      SignToolScript.write(out, ppml);
    } catch (IllegalArgumentException e) {
      throw new ErrorReporter.UsageError("--ppml: " + e.getMessage());
    }
    CommandOutput result =
        new CommandOutput(output.json(), spec.commandLine().getOut(), spec.commandLine().getErr());
    ObjectNode json = CommandOutput.object();
    json.put("file", out.toString());
    json.put("ppml", ppml);
    result.result(json);
    result.line(
        "wrote "
            + out
            + "; use: occlum build --sign-tool "
            + out
            + " --sign-key enclave-public.pem");
    return ExitCodes.OK;
  }
}
