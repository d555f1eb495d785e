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
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.attestation.simulated.DevHome;
import org.ppml.kms.http.KeyBrokerServer;
import org.ppml.kms.store.PostgresLocation;
import org.ppml.kms.testing.PostgresServer;

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

  @Test
  void aPostgresDataUrlTakesItsPasswordFromAFileOrTheEnvironmentNeverTheUrl() throws Exception {
    Path pw = tmp.resolve("pw");
    Files.writeString(pw, "s3cret\n");
    KeyBrokerConfig c =
        KmsServeCommand.parse(
            new String[] {
              "--data",
              "postgresql://kms@db.example:6543/broker?sslmode=verify-full",
              "--state",
              tmp.resolve("state").toString(),
              "--db-password-file",
              pw.toString()
            });
    assertEquals(tmp.resolve("state"), c.dataDir());
    assertEquals(
        "jdbc:postgresql://db.example:6543/broker?sslmode=verify-full", c.database().jdbcUrl());
    assertEquals("kms", c.database().user());
    assertEquals("s3cret", new String(c.database().password()));
    assertFalse(c.toString().contains("s3cret"), c.toString());
    assertFalse(c.database().toString().contains("s3cret"));

    KeyBrokerConfig env =
        new KmsServeOptionsParser()
            .parse(
                Map.of(PostgresLocation.PASSWORD_ENVIRONMENT, "from-env"),
                "--data",
                "jdbc:postgresql://127.0.0.1:5432/kms?user=broker",
                "--state",
                tmp.toString());
    assertEquals("broker", env.database().user());
    assertEquals("from-env", new String(env.database().password()));

    for (String[] args :
        new String[][] {
          {"--data", "postgresql://kms:pw@db:5432/broker", "--state", tmp.toString()},
          {"--data", "jdbc:postgresql://db:5432/broker?user=kms&password=pw", "--state", "x"},
          {"--data", "postgresql://kms@db:5432/broker"},
          {"--data", "postgresql://db:5432/broker", "--state", tmp.toString()},
          {"--data", tmp.toString(), "--state", tmp.toString()},
        }) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code =
          KmsServeCommand.run(
              args,
              new PrintStream(new ByteArrayOutputStream()),
              new PrintStream(err, true, StandardCharsets.UTF_8),
              false);
      String msg = err.toString(StandardCharsets.UTF_8);
      assertEquals(2, code, String.join(" ", args) + ": " + msg);
      assertEquals(1, msg.lines().count(), msg);
      assertFalse(msg.contains(":pw@") || msg.contains("password=pw"), msg);
    }
  }

  /** Parses with a given environment rather than the process's. */
  private static final class KmsServeOptionsParser {
    KeyBrokerConfig parse(Map<String, String> environment, String... args) throws Exception {
      KmsServeOptions options = new KmsServeOptions();
      new picocli.CommandLine(options).parseArgs(args);
      return options.toConfig(environment);
    }
  }

  @Test
  void servesFromPostgresWithTheStateDirectoryReceivingTheEndpointAndTheFirstAdminToken()
      throws Exception {
    Assumptions.assumeTrue(PostgresServer.available(), PostgresServer.HOW_TO_ENABLE);
    DevHome dev = DevHome.init(tmp.resolve("dev"), Instant.now().minusSeconds(60));
    PostgresServer pg = PostgresServer.shared();
    PostgresLocation db = pg.createDatabase();
    Path pw = tmp.resolve("db-password");
    Files.writeString(pw, pg.password() + "\n");
    Path state = tmp.resolve("state");
    String url =
        "postgresql://" + db.user() + "@" + db.jdbcUrl().substring("jdbc:postgresql://".length());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread serving =
        new Thread(
            () ->
                KmsServeCommand.run(
                    new String[] {
                      "--dev",
                      "--dev-home",
                      dev.directory().toString(),
                      "--data",
                      url,
                      "--db-password-file",
                      pw.toString(),
                      "--state",
                      state.toString(),
                      "--listen",
                      "127.0.0.1:0"
                    },
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8),
                    true));
    serving.start();
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!Files.exists(state.resolve(KeyBrokerServer.ENDPOINT_FILE))
          && serving.isAlive()
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertTrue(
          Files.exists(state.resolve(KeyBrokerServer.ENDPOINT_FILE)),
          () -> out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
      assertTrue(Files.exists(state.resolve(KeyBrokerServer.ADMIN_TOKEN_FILE)));
      String banner = out.toString(StandardCharsets.UTF_8);
      assertTrue(banner.contains("data in jdbc:postgresql://"), banner);
      assertFalse(banner.contains(pg.password()), banner);
      assertFalse(Files.exists(state.resolve("broker.db")), "nothing stored in SQLite");
      assertFalse(Files.exists(state.resolve("tls-key.pem")), "the TLS key lives in the database");
    } finally {
      serving.interrupt();
      serving.join(30_000);
    }
  }
}
