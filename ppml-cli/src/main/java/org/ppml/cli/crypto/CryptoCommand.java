package org.ppml.cli.crypto;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import org.ppml.cli.CommandOutput;
import org.ppml.cli.ExitCodes;
import org.ppml.cli.OutputOptions;
import org.ppml.crypto.provider.CryptoProviders;
import org.ppml.crypto.provider.ProviderSelection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Crypto provider information. */
@Command(
    name = "crypto",
    mixinStandardHelpOptions = true,
    description = "Crypto provider tools.",
    subcommands = CryptoCommand.Info.class)
public final class CryptoCommand {
  @Command(
      name = "info",
      mixinStandardHelpOptions = true,
      description = "Show the active AES-GCM provider and why it was chosen.")
  static final class Info implements Callable<Integer> {
    @Mixin OutputOptions output;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      CommandOutput out =
          new CommandOutput(
              output.json(), spec.commandLine().getOut(), spec.commandLine().getErr());
      ProviderSelection s = CryptoProviders.selection();
      ObjectNode json = CommandOutput.object();
      json.put("provider", s.provider().kind().name().toLowerCase(java.util.Locale.ROOT));
      json.put("name", s.provider().jcaProvider().getName());
      json.put("version", s.provider().jcaProvider().getVersionStr());
      json.put("reason", s.reason());
      json.put("selfTest", "passed");
      json.put("accpAvailable", CryptoProviders.accp().isPresent());
      json.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
      json.put("java", System.getProperty("java.version"));
      out.result(json);
      out.line("provider:  " + s.provider().description() + " (" + s.reason() + ")");
      out.line("self-test: passed (NIST AES-256-GCM known answer, forged tag rejected)");
      out.line("platform:  " + json.get("os").asText() + ", Java " + json.get("java").asText());
      return ExitCodes.OK;
    }
  }
}
