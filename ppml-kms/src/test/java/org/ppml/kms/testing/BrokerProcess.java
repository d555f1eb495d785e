package org.ppml.kms.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ppml.kms.KmsServeCommand;
import org.ppml.kms.http.KeyBrokerServer;
import org.ppml.kms.store.PostgresLocation;

/**
 * A broker in a child JVM ({@code kms serve} through {@link KmsServeCommand#main}), so a test can
 * {@code kill -9} it: {@link Process#destroyForcibly} sends SIGKILL on Linux, and nothing in the
 * broker gets to run.
 */
public final class BrokerProcess implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path state;
  private final Path log;
  private final URI url;
  private final String tlsSha256;

  private BrokerProcess(Process process, Path state, Path log, URI url, String tlsSha256) {
    this.process = process;
    this.state = state;
    this.log = log;
    this.url = url;
    this.tlsSha256 = tlsSha256;
  }

  /**
   * Starts {@code kms serve --dev} with its files in {@code state}: SQLite there when {@code
   * database} is null, else on {@code database} with {@code state} as {@code --state}, its password
   * in the environment. Waits until the broker has written a fresh endpoint file.
   *
   * @param listen HOST:PORT, port 0 for any
   * @param environment extra environment (a shared master key, say)
   */
  public static BrokerProcess start(
      Path state,
      Path devHome,
      PostgresLocation database,
      String listen,
      Map<String, String> environment)
      throws IOException, InterruptedException {
    Files.createDirectories(state);
    Path endpoint = state.resolve(KeyBrokerServer.ENDPOINT_FILE);
    Files.deleteIfExists(endpoint);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                KmsServeCommand.class.getName(),
                "--dev",
                "--dev-home",
                devHome.toString(),
                "--listen",
                listen));
    if (database == null) {
      cmd.addAll(List.of("--data", state.toString()));
    } else {
      cmd.addAll(List.of("--data", jdbcToUrl(database), "--state", state.toString()));
    }
    Path log = Files.createTempFile(state, "broker-", ".log");
    ProcessBuilder b =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    b.environment().putAll(environment);
    if (database != null && database.password() != null) {
      b.environment().put(PostgresLocation.PASSWORD_ENVIRONMENT, new String(database.password()));
    }
    Process p = b.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!Files.exists(endpoint) && System.nanoTime() < deadline && p.isAlive()) {
      Thread.sleep(50);
    }
    if (!Files.exists(endpoint)) {
      p.destroyForcibly();
      throw new IOException("broker did not start: " + Files.readString(log));
    }
    JsonNode e = JSON.readTree(Files.readString(endpoint));
    return new BrokerProcess(
        p, state, log, URI.create(e.get("url").asText()), e.get("tlsSha256").asText());
  }

  // The test fixture's locations are postgresql:// URLs turned into JDBC ones; turn them back, so
  // the child is started exactly as an operator would start it.
  private static String jdbcToUrl(PostgresLocation db) {
    return "postgresql://"
        + db.user()
        + "@"
        + db.jdbcUrl().substring("jdbc:postgresql://".length());
  }

  /** The broker's URL. */
  public URI url() {
    return url;
  }

  /** The certificate fingerprint it wrote. */
  public String tlsSha256() {
    return tlsSha256;
  }

  /** The first admin token, if this process wrote one. */
  public String adminToken() throws IOException {
    return Files.readString(state.resolve(KeyBrokerServer.ADMIN_TOKEN_FILE)).trim();
  }

  /** Whether the process is running. */
  public boolean alive() {
    return process.isAlive();
  }

  /** SIGKILL, and waits for the process to be gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** What the broker printed. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log)";
    }
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
