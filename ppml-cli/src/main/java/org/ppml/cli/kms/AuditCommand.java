package org.ppml.cli.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.ppml.cli.CommandOutput;
import org.ppml.cli.Rfc3339Converter;
import org.ppml.kmsclient.broker.KeyBrokerAdminClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ppml kms audit [--since RFC3339]}. Unlike other commands, {@code --json} prints one JSON
 * object per record, one per line (JSON lines): the log can be long, and line-wise output lets
 * {@code jq} and {@code grep} stream it.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {
      "Show the broker's audit log, oldest first.",
      "With --json: one JSON object per record, one per line (not one object in all)."
    })
final class AuditCommand extends AdminCommand {
  @Option(
      names = "--since",
      paramLabel = "RFC3339",
      converter = Rfc3339Converter.class,
      description = "Only records at or after this time.")
  Instant since;

  @Override
  void act(KeyBrokerAdminClient admin, CommandOutput out) throws IOException {
    // Printed page by page as the broker answers: a busy broker's log need not fit in memory.
    admin.audit(
        since,
        entry -> {
          if (entry instanceof ObjectNode o) {
            out.result(o);
          }
          out.line(line(entry));
        });
  }

  private static String line(JsonNode r) {
    List<String> parts = new ArrayList<>();
    parts.add(r.path("time").asText());
    parts.add(String.format("%-22s", r.path("event").asText()));
    parts.add(String.format("%-5s", r.path("decision").asText()));
    if (r.path("keyName").isTextual()) {
      parts.add(
          r.path("keyName").asText()
              + (r.path("keyVersion").isNumber() ? "#" + r.path("keyVersion").asInt() : ""));
    }
    if (r.path("mrEnclave").isTextual()) {
      parts.add("mrEnclave=" + r.path("mrEnclave").asText());
    }
    if (r.path("simulated").asBoolean(false)) {
      parts.add("simulated");
    }
    parts.add("peer=" + r.path("peer").asText());
    List<String> violations = new ArrayList<>();
    r.path("violations").forEach(v -> violations.add(v.asText()));
    if (!violations.isEmpty()) {
      parts.add("violations: " + String.join("; ", violations));
    }
    return String.join("  ", parts);
  }
}
