package org.ppml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.kms.KeyBrokerConfig;
import org.ppml.kms.audit.AuditLog;
import org.ppml.kms.http.KeyBrokerServer;
import org.ppml.kms.testing.AuditLogFill;

/**
 * {@code ppml kms audit} on a log of several pages, through the real command line against a real
 * dev broker whose SQLite file holds more records than one answer of the admin API.
 */
class KmsAuditPagingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int RECORDS = 2 * AuditLog.MAX_PAGE + 500;
  private static final String FILL = "fill-";
  private static final Instant START =
      Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(1, ChronoUnit.DAYS);

  @TempDir static Path dir;
  static KeyBrokerServer broker;
  static Path dataDir;

  @BeforeAll
  static void startBrokerWithALongLog() throws Exception {
    Path devHome = dir.resolve("dev");
    Cli.Result init = Cli.run("dev", "init", "--dev-home", devHome.toString(), "--json");
    assertEquals(0, init.exit(), init.err());
    dataDir = dir.resolve("kms");
    broker =
        KeyBrokerServer.start(
            KeyBrokerConfig.dev(dataDir, devHome),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    AuditLogFill.append(
        dataDir, RECORDS, 16, i -> AuditLogFill.unwrapAt(START.plusMillis(i), FILL + i, List.of()));
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (broker != null) {
      broker.close();
    }
  }

  private static Cli.Result audit(String... args) {
    List<String> all =
        new ArrayList<>(
            List.of("kms", "audit", "--endpoint", dataDir.resolve("endpoint.json").toString()));
    all.addAll(List.of(args));
    return Cli.run(all.toArray(String[]::new));
  }

  @Test
  void jsonPrintsEveryRecordOfEveryPageAsOneObjectPerLine() throws Exception {
    Cli.Result r = audit("--json");
    assertEquals(0, r.exit(), r.err());
    List<String> lines = r.out().lines().toList();
    List<Integer> fill = new ArrayList<>();
    long previousId = 0;
    for (String line : lines) {
      JsonNode record = JSON.readTree(line);
      assertTrue(record.isObject(), line);
      assertTrue(record.get("id").longValue() > previousId, "oldest first: " + line);
      previousId = record.get("id").longValue();
      String detail = record.get("detail").asText("");
      if (detail.startsWith(FILL)) {
        fill.add(Integer.parseInt(detail.substring(FILL.length())));
      }
    }
    assertEquals(RECORDS, fill.size(), "every record, each once");
    assertEquals(RECORDS, fill.stream().distinct().count(), "every record, each once");

    Cli.Result human = audit();
    assertEquals(0, human.exit(), human.err());
    assertEquals(
        lines.size(), human.out().lines().count(), "one line per record without --json too");
  }

  @Test
  void sinceLimitsTheLinesToLaterRecords() throws Exception {
    Cli.Result r = audit("--since", START.plusMillis(RECORDS - 1200).toString(), "--json");
    assertEquals(0, r.exit(), r.err());
    List<Integer> fill = new ArrayList<>();
    for (String line : r.out().lines().toList()) {
      String detail = JSON.readTree(line).get("detail").asText("");
      if (detail.startsWith(FILL)) {
        fill.add(Integer.parseInt(detail.substring(FILL.length())));
      }
    }
    assertEquals(1200, fill.size());
    assertTrue(fill.stream().allMatch(i -> i >= RECORDS - 1200), fill.toString());
  }
}
