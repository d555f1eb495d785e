package org.ppml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
  }

  @Test
  void quickstartRunsTwiceInARow(@TempDir Path home) {
    for (int run = 0; run < 2; run++) {
      Cli.Result r = Cli.run("quickstart", "--home", home.toString(), "--rows", "3000", "--json");
      assertEquals(0, r.exit(), r.err());
      JsonNode j = r.json();
      assertTrue(j.get("roundTrip").asBoolean());
      assertTrue(j.get("tamper").get("detected").asBoolean());
      assertTrue(j.get("tamper").get("reason").asText().contains("integrity check failed"));
      assertEquals("quickstart", j.get("inspect").get("keyName").asText());
      assertTrue(r.err().contains("[6/6]"), r.err());
    }
  }
}
