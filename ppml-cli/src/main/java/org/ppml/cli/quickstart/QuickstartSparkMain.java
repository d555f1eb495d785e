package org.ppml.cli.quickstart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ppml.crypto.provider.CryptoProviders;
import org.ppml.graphene.attestation.GramineAttestationDevice;

/**
 * The quickstart's Spark step as its own JVM, the program {@link GramineQuickstartSpark} runs
 * inside Gramine. Its command line is fixed in the manifest: the Spark/PPML settings ({@code --conf
 * k=v}, including the broker's address and TLS pin) and the workspace directories.
 *
 * <p>It talks to the quickstart through files in the exchange directory: it writes {@value #RESULT}
 * after the queries and the training, then waits for {@value #GO_DENY} (the quickstart creates it
 * after changing the policy), reads once more and writes {@value #DENIAL}. Progress lines go to
 * stdout prefixed with {@value #NOTE}.
 */
public final class QuickstartSparkMain {
  static final String RESULT = "result.json";
  static final String GO_DENY = "deny";
  static final String DENIAL = "denial.json";
  static final String NOTE = "ppml-note: ";

  /** How long to wait for the quickstart to change the policy. */
  private static final long DENY_WAIT_MILLIS = 10 * 60 * 1000L;

  private static final ObjectMapper JSON = new ObjectMapper();

  private QuickstartSparkMain() {}

  /**
   * @param args {@code --conf k=v}..., {@code --plain}, {@code --encrypted}, {@code --results},
   *     {@code --exchange} directories
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> conf = new LinkedHashMap<>();
    Map<String, Path> dirs = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (args[i].equals("--conf")) {
        int eq = args[i + 1].indexOf('=');
        if (eq < 1) {
          throw new IllegalArgumentException("--conf needs k=v, got " + args[i + 1]);
        }
        conf.put(args[i + 1].substring(0, eq), args[i + 1].substring(eq + 1));
      } else {
        dirs.put(args[i], Path.of(args[i + 1]));
      }
    }
    Path exchange = required(dirs, "--exchange");
    Path encrypted = required(dirs, "--encrypted");
    // What Gramine's /dev/attestation shows here: under gramine-direct there is no SGX quote, so
    // Stage 1 attests with simulated evidence, as it does outside Gramine.
    GramineAttestationDevice.Runtime runtime = GramineAttestationDevice.system().runtime();
    note(
        "inside Gramine: /dev/attestation says "
            + runtime
            + ", evidence provider "
            + conf.getOrDefault("spark.ppml.attestation.provider", "auto")
            + ", crypto "
            + CryptoProviders.active().description());
    try (QuickstartSparkJob job = new QuickstartSparkJob(conf)) {
      QuickstartSparkJob.Result r =
          job.run(
              required(dirs, "--plain"),
              encrypted,
              required(dirs, "--results"),
              QuickstartSparkMain::note);
      double auc = job.train(QuickstartSparkMain::note);
      ObjectNode out = JSON.createObjectNode();
      ArrayNode queries = out.putArray("queries");
      for (QuickstartSparkJob.QueryResult q : r.queries()) {
        queries
            .addObject()
            .put("name", q.name())
            .put("rows", q.rows())
            .put("matchesPlaintext", q.matchesPlaintext());
      }
      out.put("scanRatio", r.scanRatio());
      out.put("encryptedScanSeconds", r.encryptedScanSeconds());
      out.put("rowsProcessed", r.rowsProcessed());
      out.put("resultReadBack", r.resultReadBack());
      out.put("auc", auc);
      out.put("enclaveRuntime", runtime.name());
      write(exchange.resolve(RESULT), out);

      long deadline = System.currentTimeMillis() + DENY_WAIT_MILLIS;
      while (!Files.exists(exchange.resolve(GO_DENY))) {
        if (System.currentTimeMillis() > deadline) {
          throw new IOException("the quickstart did not ask for the denial read in time");
        }
        Thread.sleep(100);
      }
      ObjectNode denial = JSON.createObjectNode();
      denial.put("reason", job.readAfterForgettingKeys(encrypted));
      write(exchange.resolve(DENIAL), denial);
    }
  }

  private static Path required(Map<String, Path> dirs, String name) {
    Path p = dirs.get(name);
    if (p == null) {
      throw new IllegalArgumentException("missing " + name);
    }
    return p;
  }

  private static void note(String line) {
    System.out.println(NOTE + line);
    System.out.flush();
  }

  /** Written then renamed, so the quickstart never reads half a file. */
  private static void write(Path file, ObjectNode json) throws IOException {
    Path part = file.resolveSibling(file.getFileName() + ".part");
    Files.writeString(part, JSON.writeValueAsString(json), StandardCharsets.UTF_8);
    Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
