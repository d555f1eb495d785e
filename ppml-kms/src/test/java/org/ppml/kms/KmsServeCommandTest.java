package org.ppml.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.attestation.simulated.DevHome;
import org.ppml.kms.http.KeyBrokerServer;

/** Argument and config-file parsing of {@code ppml kms serve}. */
class KmsServeCommandTest {
  @TempDir Path tmp;

  @Test
  void flagsOverrideTheConfigFile() throws Exception {
    Path toml = tmp.resolve("kms.toml");
    Files.writeString(
        toml,
        "listen = \"0.0.0.0:9443\"\ndata = \""
            + tmp.resolve("d")
            + "\"\ndev = true\n"
            + "devHome = \""
            + tmp.resolve("dev")
            + "\"\ntokenLifetimeSeconds = 120\n");
    KeyBrokerConfig c =
        KmsServeCommand.parse(
            new String[] {"--config", toml.toString(), "--listen", "127.0.0.1:0"});
    assertEquals("127.0.0.1", c.host());
    assertEquals(0, c.port());
    assertTrue(c.dev());
    assertEquals(tmp.resolve("dev"), c.devHome());
    assertEquals(Duration.ofSeconds(120), c.tokenLifetime());
    assertEquals(tmp.resolve("d"), c.dataDir());
  }

  @Test
  void keyNamesInMetricsOnlyWhenAskedFor() throws Exception {
    assertFalse(KmsServeCommand.parse(new String[] {"--data", tmp.toString()}).metricsKeyNames());
    assertTrue(
        KmsServeCommand.parse(new String[] {"--data", tmp.toString(), "--metrics-key-names"})
            .metricsKeyNames());
    Path toml = tmp.resolve("kms.toml");
    Files.writeString(toml, "metricsKeyNames = true\n");
    assertTrue(KmsServeCommand.parse(new String[] {"--config", toml.toString()}).metricsKeyNames());
  }

  @Test
  void withoutATerminalTheFirstAdminTokenIsWrittenButNotPrinted() throws Exception {
    DevHome dev = DevHome.init(tmp.resolve("dev"), Instant.now().minusSeconds(60));
    Path data = tmp.resolve("data");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread serving =
        new Thread(
            () ->
                KmsServeCommand.run(
                    new String[] {
                      "--dev",
                      "--dev-home",
                      dev.directory().toString(),
                      "--data",
                      data.toString(),
                      "--listen",
                      "127.0.0.1:0"
                    },
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(new ByteArrayOutputStream()),
                    true));
    serving.start();
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!out.toString(StandardCharsets.UTF_8).contains("first admin token")
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
    } finally {
      serving.interrupt();
      serving.join(30_000);
    }
    String banner = out.toString(StandardCharsets.UTF_8);
    String token = Files.readString(data.resolve(KeyBrokerServer.ADMIN_TOKEN_FILE)).trim();
    assertTrue(
        banner.contains(
            "first admin token written to " + data.resolve(KeyBrokerServer.ADMIN_TOKEN_FILE)),
        banner);
    assertFalse(
        banner.contains(token),
        "tests run without a console, like a container: no token in the output");
  }

  @Test
  void badUsageExitsWithTwoAndOneLine() throws Exception {
    Files.writeString(tmp.resolve("bad.toml"), "listne = \"x\"\n");
    for (String[] args :
        new String[][] {
          {"--bogus"},
          {"--listen", "nohost"},
          {"--listen"},
          {"--config", tmp.resolve("bad.toml").toString()},
          {
            "--dev",
            "--dev-home",
            tmp.resolve("none").toString(),
            "--data",
            tmp.resolve("data").toString(),
            "--listen",
            "127.0.0.1:0"
          }
        }) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code =
          KmsServeCommand.run(
              args,
              new PrintStream(new ByteArrayOutputStream()),
              new PrintStream(err, true, StandardCharsets.UTF_8),
              false);
      assertEquals(2, code, String.join(" ", args));
      String msg = err.toString(StandardCharsets.UTF_8);
      assertEquals(1, msg.lines().count(), msg);
      assertTrue(msg.startsWith("ppml kms serve: "), msg);
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> KmsServeCommand.parse(new String[] {"--token-lifetime", "x"}));
  }
}
