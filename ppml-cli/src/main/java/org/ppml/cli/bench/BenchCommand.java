package org.ppml.cli.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ppml.cli.CommandOutput;
import org.ppml.cli.ExitCodes;
import org.ppml.cli.OutputOptions;
import org.ppml.crypto.provider.CryptoProvider;
import org.ppml.crypto.provider.CryptoProviders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Short built-in benchmarks. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Short benchmarks.", subcommands = BenchCommand.Crypto.class)
public final class BenchCommand {

  @Command(
      name = "crypto",
      mixinStandardHelpOptions = true,
      description = "Single-thread AES-GCM throughput: raw Cipher vs our stream vs Tink, for ACCP and the JDK (about 20 s).")
  static final class Crypto implements Callable<Integer> {
    @Mixin OutputOptions output;
    @Spec CommandSpec spec;

    @Option(names = "--seconds", paramLabel = "S", description = "Total time budget (default ${DEFAULT-VALUE}).")
    int seconds = 18;

    @Override
    public Integer call() throws Exception {
      CommandOutput out = new CommandOutput(output.json(), spec.commandLine().getOut(), spec.commandLine().getErr());
      List<CryptoProvider> providers = new ArrayList<>();
      CryptoProviders.accp().ifPresent(providers::add);
      providers.add(CryptoProviders.jdk());
      long perProvider = Math.max(2000, seconds * 1000L / providers.size());
      List<CryptoBenchmark.Result> results = new ArrayList<>();
      for (CryptoProvider p : providers) {
        out.note("measuring " + p.description() + " ...");
        results.add(CryptoBenchmark.run(p, 16 << 20, perProvider / 3, perProvider * 2 / 3));
      }
      CryptoBenchmark.Result active = results.get(0);
      ObjectNode json = CommandOutput.object();
      json.put("provider", active.provider());
      json.put("streamVsRaw", round(active.decryptStreamVsRaw()));
      json.put("streamVsTink", round(active.decryptStreamVsTink()));
      json.putObject("gbPerSecond")
          .put("raw", round(active.rawDecrypt()))
          .put("stream", round(active.streamDecrypt()))
          .put("tink", round(active.tinkDecrypt()));
      ArrayNode all = json.putArray("providers");
      for (CryptoBenchmark.Result r : results) {
        ObjectNode o = all.addObject().put("provider", r.provider());
        o.putObject("decrypt")
            .put("rawGBps", round(r.rawDecrypt()))
            .put("streamGBps", round(r.streamDecrypt()))
            .put("tinkGBps", round(r.tinkDecrypt()))
            .put("streamVsRaw", round(r.decryptStreamVsRaw()))
            .put("streamVsTink", round(r.decryptStreamVsTink()));
        o.putObject("encrypt")
            .put("rawGBps", round(r.rawEncrypt()))
            .put("streamGBps", round(r.streamEncrypt()))
            .put("tinkGBps", round(r.tinkEncrypt()))
            .put("streamVsRaw", round(r.encryptStreamVsRaw()))
            .put("streamVsTink", round(r.encryptStreamVsTink()));
        out.line(String.format(
            "%-34s decrypt raw %.2f  stream %.2f  tink %.2f GB/s (stream/raw %.2f, stream/tink %.2f)",
            r.provider(), r.rawDecrypt(), r.streamDecrypt(), r.tinkDecrypt(), r.decryptStreamVsRaw(), r.decryptStreamVsTink()));
        out.line(String.format(
            "%-34s encrypt raw %.2f  stream %.2f  tink %.2f GB/s (stream/raw %.2f, stream/tink %.2f)",
            "", r.rawEncrypt(), r.streamEncrypt(), r.tinkEncrypt(), r.encryptStreamVsRaw(), r.encryptStreamVsTink()));
      }
      out.result(json);
      return ExitCodes.OK;
    }

    private static double round(double v) {
      return Math.round(v * 1000) / 1000.0;
    }
  }
}
