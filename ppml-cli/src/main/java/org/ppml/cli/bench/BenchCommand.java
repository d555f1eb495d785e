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
      description =
          "Spark scan cost: plain vs PPML CSV, plain vs PPML vs PME Parquet, and a BigDL-style "
              + "AES-CBC+HMAC baseline, TPC-H Q1/Q6 on lineitem (about a minute at the default scale).")
  static final class Spark implements Callable<Integer> {
    @Mixin OutputOptions output;
    @Spec CommandSpec spec;

    @Option(
        names = "--scale",
        paramLabel = "MB",
        description = "Size of the generated data in MB (default ${DEFAULT-VALUE}).")
    double scale = 60;

    @Option(
        names = "--runs",
        paramLabel = "N",
        description = "Timed rounds (default ${DEFAULT-VALUE}).")
    int runs = 3;

    @Option(
        names = "--work",
        paramLabel = "DIR",
        description = "Scratch directory (default: a temporary one, removed after).")
    java.nio.file.Path work;

    @Override
    public Integer call() throws Exception {
      CommandOutput out =
          new CommandOutput(
              output.json(), spec.commandLine().getOut(), spec.commandLine().getErr());
      if (scale <= 0 || runs < 1) {
        throw new org.ppml.cli.ErrorReporter.UsageError(
            "--scale must be positive and --runs at least 1");
      }
      java.nio.file.Path dir =
          work != null ? work : java.nio.file.Files.createTempDirectory("ppml-bench-spark");
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
        json.put(
            "bigdlStyleRatio", round(medianRatio(t, "bigdlStyleCsvOneFile", "ppmlCsvOneFile")));
        ObjectNode seconds = json.putObject("medianSeconds");
        for (var q : t.byQuery().entrySet()) {
          ObjectNode perQuery = seconds.putObject(q.getKey());
          for (var v : q.getValue().entrySet()) {
            perQuery.put(v.getKey(), round(median(v.getValue()) / 1e9));
          }
        }
        ObjectNode spread = json.putObject("ratioSpread");
        for (String[] pair :
            new String[][] {
              {"ppmlCsv", "csv"},
              {"ppmlParquet", "parquet"},
              {"pme", "parquet"},
              {"bigdlStyleCsvOneFile", "ppmlCsvOneFile"}
            }) {
          for (var q : t.byQuery().entrySet()) {
            List<Double> ratios = new ArrayList<>();
            List<Long> a = q.getValue().get(pair[0]);
            List<Long> b = q.getValue().get(pair[1]);
            for (int i = 0; i < a.size(); i++) {
              ratios.add(a.get(i) / (double) b.get(i));
            }
            ratios.sort(null);
            spread
                .putObject(pair[0] + "/" + pair[1] + " " + q.getKey())
                .put("min", round(ratios.get(0)))
                .put("median", round(median(ratios)))
                .put("max", round(ratios.get(ratios.size() - 1)));
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

    private static double medianRatio(
        SparkScanBenchmark.Timings t, String variant, String baseline) {
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
      description =
          "Single-thread AES-GCM throughput: raw Cipher vs our stream vs Tink, for ACCP and the JDK "
              + "(about 15 s). Tink is optional: without it, streamVsTink is reported as unavailable.")
  static final class Crypto implements Callable<Integer> {
    /** Plaintext per kernel call: large enough to span 64 segments, small enough to set up fast. */
    private static final int DATA_BYTES = 16 << 20;

    @Mixin OutputOptions output;
    @Spec CommandSpec spec;

    // The issue promises a short version of at most 20 s. The budget covers setup, warm-up and
    // measurement of every provider; JVM start and class loading come on top, hence the margin.
    @Option(
        names = "--seconds",
        paramLabel = "S",
        description =
            "Time budget for the whole run, data set and warm-up included (default ${DEFAULT-VALUE}).")
    int seconds = 14;

    @Override
    public Integer call() throws Exception {
      if (seconds < 1) {
        throw new org.ppml.cli.ErrorReporter.UsageError("--seconds must be at least 1");
      }
      long deadline = System.nanoTime() + seconds * 1_000_000_000L;
      CommandOutput out =
          new CommandOutput(
              output.json(), spec.commandLine().getOut(), spec.commandLine().getErr());
      List<CryptoProvider> providers = new ArrayList<>();
      CryptoProviders.accp().ifPresent(providers::add);
      providers.add(CryptoProviders.jdk());
      List<CryptoBenchmark.Result> results = new ArrayList<>();
      for (int i = 0; i < providers.size(); i++) {
        CryptoProvider p = providers.get(i);
        // Each provider gets an equal share of what is left, so a slow setup of one does not
        // push the run past the budget.
        long now = System.nanoTime();
        long share = Math.max(0, deadline - now) / (providers.size() - i);
        out.note("measuring " + p.description() + " ...");
        results.add(CryptoBenchmark.run(p, DATA_BYTES, now + share));
      }
      CryptoBenchmark.Result active = results.get(0);
      ObjectNode json = CommandOutput.object();
      json.put("provider", active.provider());
      json.put("streamVsRaw", round(active.decryptStreamVsRaw()));
      putMeasured(json, "streamVsTink", active.decryptStreamVsTink());
      if (!active.tinkMeasured()) {
        json.put("tinkUnavailable", TinkBaseline.UNAVAILABLE);
        out.note("streamVsTink unavailable: " + TinkBaseline.UNAVAILABLE);
      }
      ObjectNode gbPerSecond =
          json.putObject("gbPerSecond")
              .put("raw", round(active.rawDecrypt()))
              .put("stream", round(active.streamDecrypt()));
      putMeasured(gbPerSecond, "tink", active.tinkDecrypt());
      ArrayNode all = json.putArray("providers");
      for (CryptoBenchmark.Result r : results) {
        ObjectNode o = all.addObject().put("provider", r.provider());
        ObjectNode decrypt =
            o.putObject("decrypt")
                .put("rawGBps", round(r.rawDecrypt()))
                .put("streamGBps", round(r.streamDecrypt()))
                .put("streamVsRaw", round(r.decryptStreamVsRaw()));
        putMeasured(decrypt, "tinkGBps", r.tinkDecrypt());
        putMeasured(decrypt, "streamVsTink", r.decryptStreamVsTink());
        ObjectNode encrypt =
            o.putObject("encrypt")
                .put("rawGBps", round(r.rawEncrypt()))
                .put("streamGBps", round(r.streamEncrypt()))
                .put("streamVsRaw", round(r.encryptStreamVsRaw()));
        putMeasured(encrypt, "tinkGBps", r.tinkEncrypt());
        putMeasured(encrypt, "streamVsTink", r.encryptStreamVsTink());
        out.line(
            String.format(
                "%-34s decrypt raw %.2f  stream %.2f  tink %s GB/s (stream/raw %.2f, stream/tink %s)",
                r.provider(),
                r.rawDecrypt(),
                r.streamDecrypt(),
                text(r.tinkDecrypt()),
                r.decryptStreamVsRaw(),
                text(r.decryptStreamVsTink())));
        out.line(
            String.format(
                "%-34s encrypt raw %.2f  stream %.2f  tink %s GB/s (stream/raw %.2f, stream/tink %s)",
                "",
                r.rawEncrypt(),
                r.streamEncrypt(),
                text(r.tinkEncrypt()),
                r.encryptStreamVsRaw(),
                text(r.encryptStreamVsTink())));
      }
      out.result(json);
      return ExitCodes.OK;
    }

    /** A Tink figure, or JSON null when Tink was not measured (NaN is not JSON). */
    private static void putMeasured(ObjectNode node, String field, double value) {
      if (Double.isNaN(value)) {
        node.putNull(field);
      } else {
        node.put(field, round(value));
      }
    }

    private static String text(double value) {
      return Double.isNaN(value) ? "n/a" : String.format("%.2f", value);
    }

    private static double round(double v) {
      return Math.round(v * 1000) / 1000.0;
    }
  }
}
