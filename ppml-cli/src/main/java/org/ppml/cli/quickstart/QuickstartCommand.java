package org.ppml.cli.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.ppml.cli.CommandOutput;
import org.ppml.cli.ErrorReporter;
import org.ppml.cli.ExitCodes;
import org.ppml.cli.OutputOptions;
import org.ppml.cli.PpmlMain;
import org.ppml.crypto.kms.KmsCredentials;
import org.ppml.crypto.kms.local.LocalKms;
import org.ppml.crypto.provider.CryptoProviders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ppml quickstart}: Stage 1 end to end on this machine. Each step uses the same commands
 * and library calls a user would: {@code ppml encrypt} and {@code ppml inspect} run in process, and
 * the Spark job reads with {@code format("ppml")} exactly as a data scientist's job does.
 */
@Command(
    name = "quickstart",
    mixinStandardHelpOptions = true,
    description = "Run Stage 1 end to end: key store, TPC-H-like data, ppml encrypt/inspect, "
        + "Spark SQL (Q1, Q3, Q6) and MLlib over the encrypted tables, encrypted Parquet output.")
public final class QuickstartCommand implements Callable<Integer> {
  private static final String KEY = "quickstart";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Mixin OutputOptions output;
  @Spec CommandSpec spec;

  @Option(names = "--home", paramLabel = "DIR", description = "Working directory (default: $PPML_HOME or ~/.ppml, then /quickstart).")
  Path home;

  @Option(
      names = "--scale",
      paramLabel = "MB|tiny|small",
      description = "Size of the generated data in MB, or tiny (2), small (20); default ${DEFAULT-VALUE}.")
  String scale = "100";

  private CommandOutput out;
  private int step;
  private int steps;

  @Override
  public Integer call() throws Exception {
    out = new CommandOutput(output.json(), spec.commandLine().getOut(), spec.commandLine().getErr());
    double megabytes = parseScale(scale);
    long start = System.nanoTime();
    steps = 6;
    Path work = workspace();
    Path keys = work.resolve("keys");
    Path keyFile = work.resolve("keystore.key");
    ObjectNode json = CommandOutput.object();
    json.put("workspace", work.toString());
    json.put("cryptoProvider", CryptoProviders.active().description());

    progress("key store: " + keys + " (local, sealed by " + keyFile.getFileName() + "), primary key '" + KEY + "'");
    try (LocalKms kms = LocalKms.open(keys, KmsCredentials.of(null, keyFile))) {
      kms.createKey(KEY);
    }
    String kmsUri = "local:" + keys;

    progress(String.format(Locale.ROOT, "data: generating TPC-H-like lineitem and orders (about %.0f MB)", megabytes));
    Path plain = work.resolve("plain");
    TpchData.Summary data = TpchData.generate(plain, megabytes);
    note(String.format(Locale.ROOT, "%d orders, %d line items, %d bytes of CSV", data.orders(), data.lineitems(), data.bytes()));
    json.put("plaintextBytes", data.bytes());

    progress("encrypt: ppml encrypt " + plain.getFileName() + "/ -> encrypted/");
    Path encrypted = work.resolve("encrypted");
    JsonNode enc = ppml("encrypt", "--kms", kmsUri, "--keystore-key-file", keyFile.toString(), "--key", KEY,
        plain.toString(), encrypted.toString(), "--json");
    note(enc.path("files").asInt() + " files, " + enc.path("ciphertextBytes").asLong() + " bytes, data key wrapped by "
        + enc.path("keyName").asText() + " v" + enc.path("keyVersion").asInt());

    progress("inspect: ppml inspect encrypted/lineitem/part-0.csv");
    JsonNode inspect = ppml("inspect", encrypted.resolve("lineitem/part-0.csv").toString(), "--json");
    note(inspect.toString());
    json.set("inspect", inspect);

    progress("spark: local[2] session reading format(\"ppml\")");
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("spark.ppml.kms.url", kmsUri);
    conf.put("spark.ppml.kms.keyFile", keyFile.toString());
    conf.put("spark.ppml.key", KEY);
    conf.put("spark.ppml.mode", "dev");
    QuickstartSparkJob.Result result;
    try (QuickstartSparkJob job = new QuickstartSparkJob(conf)) {
      result = job.run(plain, encrypted, work.resolve("results"), this::note);
    }
    ArrayNode queries = json.putArray("queries");
    boolean allMatch = true;
    for (QuickstartSparkJob.QueryResult q : result.queries()) {
      queries.addObject().put("name", q.name()).put("rows", q.rows()).put("matchesPlaintext", q.matchesPlaintext());
      allMatch &= q.matchesPlaintext();
    }
    json.putObject("training").put("metric", "areaUnderROC").put("value", round(result.auc()));
    json.put("resultReadBack", result.resultReadBack());
    json.put("rowsProcessed", result.rowsProcessed());
    json.put("scanRatio", round(result.scanRatio()));

    progress("done");
    double seconds = (System.nanoTime() - start) / 1e9;
    json.put("seconds", round(seconds));
    out.result(json);
    out.line("");
    out.line(String.format(Locale.ROOT,
        "quickstart OK: %d rows in %.1f s; Q1/Q3/Q6 on encrypted data %s the plaintext results; "
            + "encrypted/plaintext scan time %.2fx; model AUC %.3f",
        result.rowsProcessed(), seconds, allMatch ? "match" : "DO NOT match", result.scanRatio(), result.auc()));
    out.line("workspace: " + work);
    if (!allMatch || !result.resultReadBack()) {
      throw new ErrorReporter.NegativeVerdict("quickstart.mismatch", "encrypted results differ from the plaintext run");
    }
    return ExitCodes.OK;
  }

  static double parseScale(String scale) {
    switch (scale.toLowerCase(Locale.ROOT)) {
      case "tiny":
        return 2;
      case "small":
        return 20;
      default:
        try {
          double mb = Double.parseDouble(scale);
          if (mb > 0 && mb <= 100_000) {
            return mb;
          }
        } catch (NumberFormatException ignored) {
          // fall through to the usage error
        }
        throw new ErrorReporter.UsageError("--scale must be tiny, small or a size in MB, not '" + scale + "'");
    }
  }

  /** Runs a ppml command in this process, as a user would from the shell, and returns its JSON. */
  private JsonNode ppml(String... args) throws IOException {
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    int exit = PpmlMain.run(new PrintWriter(stdout, true), new PrintWriter(stderr, true), args);
    if (exit != ExitCodes.OK) {
      throw new IOException("ppml " + args[0] + " failed: " + stderr.toString().strip());
    }
    return JSON.readTree(stdout.toString());
  }

  private void progress(String message) {
    out.note("[" + (++step) + "/" + steps + "] " + message);
  }

  private void note(String message) {
    out.note("      " + message);
  }

  private Path workspace() throws IOException {
    Path base = home;
    if (base == null) {
      String env = System.getenv("PPML_HOME");
      base = env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".ppml");
    }
    Path work = base.resolve("quickstart").toAbsolutePath().normalize();
    // A second run starts clean rather than tripping over the first run's key store and data.
    if (Files.exists(work)) {
      try (Stream<Path> walk = Files.walk(work)) {
        List<Path> all = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
        for (Path p : all) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(work);
    return work;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
