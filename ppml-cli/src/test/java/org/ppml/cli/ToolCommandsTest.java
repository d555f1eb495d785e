package org.ppml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolCommandsTest {
  @Test
  void cryptoInfoReportsTheActiveProvider() {
    Cli.Result r = Cli.run("crypto", "info", "--json");
    assertEquals(0, r.exit(), r.err());
    JsonNode j = r.json();
    assertTrue(j.get("provider").asText().matches("accp|jdk"));
    assertEquals("passed", j.get("selfTest").asText());
    assertEquals(j.get("accpAvailable").asBoolean(), j.get("provider").asText().equals("accp"));
  }

  @Test
  void benchCryptoPrintsRatiosAndThroughputs() {
    Cli.Result r = Cli.run("bench", "crypto", "--seconds", "4", "--json");
    assertEquals(0, r.exit(), r.err());
    JsonNode j = r.json();
    assertTrue(j.get("streamVsRaw").asDouble() > 0);
    assertTrue(j.get("streamVsTink").asDouble() > 0);
    assertTrue(j.get("gbPerSecond").get("stream").asDouble() > 0);
    assertTrue(j.get("providers").size() >= 1);
    assertTrue(j.get("providers").get(0).get("encrypt").has("streamVsRaw"));
    assertFalse(j.has("tinkUnavailable"), "Tink is on the test class path");
  }

  @Test
  void benchCryptoRefusesAnEmptyBudget() {
    Cli.run("bench", "crypto", "--seconds", "0").assertError(2, "--seconds");
  }

  @Test
  void quickstartRunsTwiceInARowAndItsConsoleIsOnlyItsOwnSteps(@TempDir Path home)
      throws Exception {
    Cli.Result r = Cli.run("quickstart", "--home", home.toString(), "--scale", "tiny", "--json");
    assertEquals(0, r.exit(), r.err());
    JsonNode j = r.json();
    assertEquals(3, j.get("queries").size());
    for (JsonNode q : j.get("queries")) {
      assertTrue(q.get("matchesPlaintext").asBoolean(), q.toString());
      assertTrue(q.get("rows").asLong() > 0, q.toString());
    }
    assertTrue(j.get("resultReadBack").asBoolean());
    assertEquals("areaUnderROC", j.get("training").get("metric").asText());
    assertTrue(
        j.get("training").get("value").asDouble() > 0.6, "the generator plants a learnable signal");
    assertTrue(j.get("scanRatio").asDouble() > 0);
    assertEquals("quickstart", j.get("inspect").get("keyName").asText());
    assertTrue(
        j.get("inspect").get("kms").asText().startsWith("ppml+https://127.0.0.1:"),
        "encrypted under the broker");
    assertTrue(
        j.get("releases").asInt() >= 2,
        "the encrypting CLI and the Spark executors each got a release");
    assertTrue(j.get("denial").get("happened").asBoolean());
    assertTrue(j.get("denial").get("reason").asText().contains("403"), j.get("denial").toString());
    assertTrue(
        j.get("denial").get("reason").asText().contains("mrSigner"), j.get("denial").toString());

    // The second run, in the same home, as its own JVM: what a newcomer's terminal shows.
    Path stdout = home.resolve("console.out");
    Path stderr = home.resolve("console.err");
    Process p =
        QuickstartProcess.builder(home)
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    assertTrue(p.waitFor(10, java.util.concurrent.TimeUnit.MINUTES), "quickstart finished");
    String out = java.nio.file.Files.readString(stdout);
    String err = java.nio.file.Files.readString(stderr);
    String console = "stdout:\n" + out + "\nstderr:\n" + err;
    assertEquals(0, p.exitValue(), console);
    assertFalse(console.contains("\u001b"), "no ANSI escapes: " + console);
    for (String noise : new String[] {" WARN ", "\tat ", "Driver stacktrace", "Lost task"}) {
      assertFalse(console.contains(noise), "Spark's log kept off the console (" + noise + ")");
    }
    java.util.List<String> lines = (out + err).lines().toList();
    java.util.List<String> denial =
        lines.stream().filter(l -> l.contains("refused as expected")).toList();
    assertEquals(1, denial.size(), console);
    assertTrue(denial.get(0).contains("403") && denial.get(0).contains("mrSigner"), denial.get(0));
    // After the last step, only the summary.
    java.util.List<String> tail =
        err.lines().dropWhile(l -> !l.startsWith("[10/10] stop")).skip(1).toList();
    assertEquals(java.util.List.of(), tail, "stderr after [10/10]: " + console);
    assertTrue(out.contains("quickstart OK:") && out.contains("denial enforced"), console);
    Path log = home.resolve("quickstart/quickstart.log");
    assertTrue(out.contains("Spark's log: " + log), console);
    assertTrue(java.nio.file.Files.isRegularFile(log), "Spark's log went to " + log);
  }

  @Test
  void quickstartRejectsABadScale() {
    Cli.Result r = Cli.run("quickstart", "--scale", "huge");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("--scale"), r.err());
  }
}
