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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.ppml.attestation.simulated.DevHome;
import org.ppml.cli.CommandOutput;
import org.ppml.cli.ErrorReporter;
import org.ppml.cli.ExitCodes;
import org.ppml.cli.OutputOptions;
import org.ppml.cli.PpmlMain;
import org.ppml.crypto.provider.CryptoProviders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ppml quickstart}: Stage 1 end to end on this machine. Each step uses the same commands and
 * library calls a user would: {@code ppml encrypt} and {@code ppml inspect} run in process, and the
 * Spark job reads with {@code format("ppml")} exactly as a data scientist's job does.
 */
@Command(
    name = "quickstart",
    mixinStandardHelpOptions = true,
    description =
        "Run Stage 1 end to end: dev init, an embedded key broker, a key with a policy, TPC-H-like data, "
            + "ppml encrypt/inspect, Spark SQL (Q1, Q3, Q6) and MLlib over the encrypted tables with attested key "
            + "release, the audit log, and a policy denial.")
public final class QuickstartCommand implements Callable<Integer> {
  private static final String KEY = "quickstart";

  /** Audit events that hand a data key out (the broker's names). */
  private static final java.util.Set<String> RELEASE_EVENTS =
      java.util.Set.of("datakey", "unwrap", "resource");

  private static final ObjectMapper JSON = new ObjectMapper();

  @Mixin OutputOptions output;
  @Spec CommandSpec spec;

  @Option(
      names = "--home",
      paramLabel = "DIR",
      description = "Working directory (default: $PPML_HOME or ~/.ppml, then /quickstart).")
  Path home;

  @Option(
      names = "--scale",
      paramLabel = "MB|tiny|small",
      description =
          "Size of the generated data in MB, or tiny (2), small (20); default ${DEFAULT-VALUE}.")
  String scale = "100";

  private CommandOutput out;
  private int step;
  private int steps;

  @Override
  public Integer call() throws Exception {
    out =
        new CommandOutput(output.json(), spec.commandLine().getOut(), spec.commandLine().getErr());
    double megabytes = parseScale(scale);
    long start = System.nanoTime();
    steps = 10;
    Path work = workspace();
    try (QuickstartLog log = QuickstartLog.redirect(work)) {
      return run(work, megabytes, start);
    }
  }

  private Integer run(Path work, double megabytes, long start) throws Exception {
    ObjectNode json = CommandOutput.object();
    json.put("workspace", work.toString());
    json.put("cryptoProvider", CryptoProviders.active().description());
    Path logFile = work.resolve(QuickstartLog.FILE_NAME);
    json.put("log", logFile.toString());

    progress(
        "dev init: dev root CA, PCK chain, signed collateral and dev enclave key in "
            + work.resolve("dev"));
    DevHome devHome = DevHome.init(work.resolve("dev"), Instant.now().minusSeconds(60));

    progress(
        "key broker: starting on loopback (TLS, SQLite, dev mode: simulated attestation only)");
    try (EmbeddedBroker broker = EmbeddedBroker.start(work.resolve("kms"), devHome)) {
      note(broker.reference() + ", TLS SHA-256 " + broker.tlsSha256());

      progress(
          "key and policy: '"
              + KEY
              + "' released only to enclaves signed by MRSIGNER "
              + broker.devMrSigner()
              + " (ISVPRODID 0), simulated allowed");
      broker.createKey(KEY, broker.devSignerPolicy());

      progress(
          String.format(
              Locale.ROOT,
              "data: generating TPC-H-like lineitem and orders (about %.0f MB)",
              megabytes));
      Path plain = work.resolve("plain");
      TpchData.Summary data = TpchData.generate(plain, megabytes);
      note(
          String.format(
              Locale.ROOT,
              "%d orders, %d line items, %d bytes of CSV",
              data.orders(),
              data.lineitems(),
              data.bytes()));
      json.put("plaintextBytes", data.bytes());

      progress(
          "encrypt: ppml encrypt plain/ -> encrypted/ (data key released to a simulated enclave), then inspect");
      Path encrypted = work.resolve("encrypted");
      JsonNode enc =
          ppml(
              "encrypt",
              "--kms",
              broker.simulatedEnclaveUri(),
              "--key",
              KEY,
              plain.toString(),
              encrypted.toString(),
              "--json");
      note(
          enc.path("files").asInt()
              + " files, "
              + enc.path("ciphertextBytes").asLong()
              + " bytes, data key wrapped by "
              + enc.path("keyName").asText()
              + " v"
              + enc.path("keyVersion").asInt());
      JsonNode inspect =
          ppml("inspect", encrypted.resolve("lineitem/part-0.csv").toString(), "--json");
      note("inspect lineitem/part-0.csv: " + inspect);
      json.set("inspect", inspect);

      Map<String, String> conf = new LinkedHashMap<>();
      conf.put("spark.ppml.kms.url", broker.reference());
      conf.put("spark.ppml.kms.tlsSha256", broker.tlsSha256());
      conf.put("spark.ppml.attestation.provider", "simulated");
      conf.put("spark.ppml.dev.home", devHome.directory().toString());
      conf.put("spark.ppml.key", KEY);
      conf.put("spark.ppml.mode", "dev");
      try (QuickstartSparkJob job = new QuickstartSparkJob(conf)) {
        progress(
            "spark SQL: TPC-H Q1, Q3, Q6 with format(\"ppml\"), executors attest and release keys");
        QuickstartSparkJob.Result result =
            job.run(plain, encrypted, work.resolve("results"), this::note);
        ArrayNode queries = json.putArray("queries");
        boolean allMatch = true;
        for (QuickstartSparkJob.QueryResult q : result.queries()) {
          queries
              .addObject()
              .put("name", q.name())
              .put("rows", q.rows())
              .put("matchesPlaintext", q.matchesPlaintext());
          allMatch &= q.matchesPlaintext();
        }
        json.put("resultReadBack", result.resultReadBack());
        json.put("rowsProcessed", result.rowsProcessed());
        json.put("scanRatio", round(result.scanRatio()));

        progress("MLlib: logistic regression on a feature table read from encrypted lineitem");
        double auc = job.train(this::note);
        json.putObject("training").put("metric", "areaUnderROC").put("value", round(auc));

        progress("audit log: one line per key release");
        int releases = 0;
        for (JsonNode record : broker.audit()) {
          String event = record.path("event").asText();
          if (RELEASE_EVENTS.contains(event) && record.path("decision").asText().equals("allow")) {
            releases++;
            note(
                String.format(
                    "%s %-16s key=%s v%s peer=%s mrSigner=%s simulated=%s",
                    record.path("time").asText(),
                    event,
                    record.path("keyName").asText(),
                    record.path("keyVersion").asText(),
                    record.path("peer").asText(),
                    abbreviate(record.path("mrSigner").asText()),
                    record.path("simulated").asBoolean()));
          }
        }
        json.put("releases", releases);

        progress("denial: change the policy's MRSIGNER and read again");
        broker.setPolicy(KEY, EmbeddedBroker.policyFor("00".repeat(32)));
        String reason = job.readAfterForgettingKeys(encrypted);
        boolean denied = reason != null;
        note(
            denied
                ? "refused as expected: " + reason
                : "NOT REFUSED: the read succeeded under a foreign policy");
        json.putObject("denial").put("happened", denied).put("reason", reason);

        progress("stop: the broker and Spark shut down with this command");
        double seconds = (System.nanoTime() - start) / 1e9;
        json.put("seconds", round(seconds));
        out.result(json);
        out.line("");
        out.line(
            String.format(
                Locale.ROOT,
                "quickstart OK: %d rows in %.1f s; Q1/Q3/Q6 on encrypted data %s the plaintext results; "
                    + "encrypted/plaintext scan time %.2fx; model AUC %.3f; %d key releases audited; denial %s",
                result.rowsProcessed(),
                seconds,
                allMatch ? "match" : "DO NOT match",
                result.scanRatio(),
                auc,
                releases,
                denied ? "enforced" : "NOT ENFORCED"));
        out.line("workspace: " + work);
        out.line("Spark's log: " + logFile);
        if (!allMatch || !result.resultReadBack()) {
          throw new ErrorReporter.NegativeVerdict(
              "quickstart.mismatch", "encrypted results differ from the plaintext run");
        }
        if (!denied) {
          throw new ErrorReporter.NegativeVerdict(
              "quickstart.denial", "a read under a non-matching policy was not refused");
        }
      }
    }
    return ExitCodes.OK;
  }

  private static String abbreviate(String hex) {
    return hex.length() > 16 ? hex.substring(0, 8) + "…" + hex.substring(hex.length() - 6) : hex;
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
        throw new ErrorReporter.UsageError(
            "--scale must be tiny, small or a size in MB, not '" + scale + "'");
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
      base =
          env != null && !env.isBlank()
              ? Path.of(env)
              : Path.of(System.getProperty("user.home"), ".ppml");
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
