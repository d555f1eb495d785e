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
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Short benchmarks.",
    subcommands = {BenchCommand.Crypto.class, BenchCommand.Spark.class})
public final class BenchCommand {

  @Command(
      name = "spark",
      mixinStandardHelpOptions = true,
      description = "Spark scan cost: plain vs PPML CSV, plain vs PPML vs PME Parquet, and a BigDL-style "
          + "AES-CBC+HMAC baseline, TPC-H Q1/Q6 on lineitem (about a minute at the default scale).")
  static final class Spark implements Callable<Integer> {
    @Mixin OutputOptions output;
    @Spec CommandSpec spec;

    @Option(names = "--scale", paramLabel = "MB", description = "Size of the generated data in MB (default ${DEFAULT-VALUE}).")
    double scale = 60;

    @Option(names = "--runs", paramLabel = "N", description = "Timed rounds (default ${DEFAULT-VALUE}).")
    int runs = 3;

    @Option(names = "--work", paramLabel = "DIR", description = "Scratch directory (default: a temporary one, removed after).")
    java.nio.file.Path work;

    @Override
    public Integer call() throws Exception {
      CommandOutput out = new CommandOutput(output.json(), spec.commandLine().getOut(), spec.commandLine().getErr());
      if (scale <= 0 || runs < 1) {
        throw new org.ppml.cli.ErrorReporter.UsageError("--scale must be positive and --runs at least 1");
      }
      java.nio.file.Path dir = work != null ? work : java.nio.file.Files.createTempDirectory("ppml-bench-spark");
      try {
        SparkScanBenchmark.Timings t;
        long bytes;
        try (SparkScanBenchmark bench = new SparkScanBenchmark(dir)) {
          out.note("generating about " + scale + " MB of TPC-H-like data");
          bytes = bench.prepare(scale, out::note);
          t = bench.run(runs, out::note);
        }
        ObjectNode json = CommandOutput.object();
        json.put("lineitemCsvBytes", bytes);
        json.put("runs", runs);
        // Ratios over both queries, each the median over runs: encrypted over plain.
        json.put("csvRatio", round(medianRatio(t, "ppmlCsv", "csv")));
        json.put("parquetRatio", round(medianRatio(t, "ppmlParquet", "parquet")));
        json.put("pmeRatio", round(medianRatio(t, "pme", "parquet")));
        json.put("bigdlStyleRatio", round(medianRatio(t, "bigdlStyleCsvOneFile", "ppmlCsvOneFile")));
        ObjectNode seconds = json.putObject("medianSeconds");
        for (var q : t.byQuery().entrySet()) {
          ObjectNode perQuery = seconds.putObject(q.getKey());
          for (var v : q.getValue().entrySet()) {
            perQuery.put(v.getKey(), round(median(v.getValue()) / 1e9));
          }
        }
        ObjectNode spread = json.putObject("ratioSpread");
        for (String[] pair : new String[][] {{"ppmlCsv", "csv"}, {"ppmlParquet", "parquet"}, {"pme", "parquet"}, {"bigdlStyleCsvOneFile", "ppmlCsvOneFile"}}) {
          for (var q : t.byQuery().entrySet()) {
            List<Double> ratios = new ArrayList<>();
            List<Long> a = q.getValue().get(pair[0]);
            List<Long> b = q.getValue().get(pair[1]);
            for (int i = 0; i < a.size(); i++) {
              ratios.add(a.get(i) / (double) b.get(i));
            }
            ratios.sort(null);
            spread.putObject(pair[0] + "/" + pair[1] + " " + q.getKey())
                .put("min", round(ratios.get(0))).put("median", round(median(ratios))).put("max", round(ratios.get(ratios.size() - 1)));
          }
        }
        out.result(json);
        out.line(json.toPrettyString());
      } finally {
        if (work == null) {
          try (var walk = java.nio.file.Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
          }
        }
      }
      return ExitCodes.OK;
    }

    private static double medianRatio(SparkScanBenchmark.Timings t, String variant, String baseline) {
      List<Double> ratios = new ArrayList<>();
      for (var q : t.byQuery().values()) {
        ratios.add(median(q.get(variant)) / median(q.get(baseline)));
      }
      return median(ratios);
    }

    private static <T extends Number> double median(List<T> values) {
      List<Double> s = new ArrayList<>();
      values.forEach(v -> s.add(v.doubleValue()));
      s.sort(null);
      int n = s.size();
      return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static double round(double v) {
      return Math.round(v * 1000) / 1000.0;
    }
  }

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
