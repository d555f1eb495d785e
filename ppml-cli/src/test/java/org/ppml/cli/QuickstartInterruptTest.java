package org.ppml.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C in the middle of the quickstart, with the broker up and Spark running, leaves no process
 * and no listening broker behind. The quickstart runs as its own JVM, as `bin/ppml` runs it, and
 * gets a real SIGINT.
 */
class QuickstartInterruptTest {
  @Test
  void ctrlCDuringTheSparkJobLeavesNothingRunning(@TempDir Path home) throws Exception {
    Process p = QuickstartProcess.start(home);
    List<ProcessHandle> children = new ArrayList<>();
    StringBuilder seen = new StringBuilder();
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        seen.append(line).append('\n');
        if (line.contains("spark SQL:")) {
          break;
        }
      }
      assertTrue(
          seen.toString().contains("spark SQL:"),
          "the quickstart reached its Spark step:\n" + seen);
      Path endpoint = home.resolve("quickstart/kms/endpoint.json");
      assertTrue(Files.exists(endpoint), "the broker is up: " + endpoint);
      URI broker = URI.create(new ObjectMapper().readTree(endpoint.toFile()).get("url").asText());
      assertTrue(listening(broker), "the broker listens before the interrupt");
      p.toHandle().descendants().forEach(children::add);

      new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start().waitFor();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the quickstart exits after Ctrl-C");
      for (ProcessHandle child : children) {
        assertFalse(child.isAlive(), "child process " + child.pid() + " outlived the quickstart");
      }
      assertFalse(listening(broker), "no broker listens on " + broker + " after the interrupt");
    } finally {
      p.destroyForcibly();
    }
  }

  private static boolean listening(URI url) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(url.getHost(), url.getPort()), 2000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
