package org.ppml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ppml.kms.KeyBrokerConfig;
import org.ppml.kms.http.KeyBrokerServer;

/**
 * A real dev broker for the CLI's {@code ppml kms …} tests: simulated evidence from {@code ppml dev
 * init}, TLS on an ephemeral loopback port, SQLite in a temporary directory.
 *
 * @param devHome the dev home {@code ppml dev init} made
 * @param mrSigner its enclave key's MRSIGNER, hex
 * @param dataDir the broker's data directory, with {@code endpoint.json} and the admin token
 * @param server the running broker
 */
record DevBroker(Path devHome, String mrSigner, Path dataDir, KeyBrokerServer server)
    implements AutoCloseable {

  /** Initialises a dev home and starts a broker under {@code dir}. */
  static DevBroker start(Path dir) throws Exception {
    Path devHome = dir.resolve("dev");
    Cli.Result init = Cli.run("dev", "init", "--dev-home", devHome.toString(), "--json");
    assertEquals(0, init.exit(), init.err());
    Path dataDir = dir.resolve("kms");
    KeyBrokerServer server =
        KeyBrokerServer.start(
            KeyBrokerConfig.dev(dataDir, devHome),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    return new DevBroker(devHome, init.json().get("mrSigner").asText(), dataDir, server);
  }

  /**
   * {@code ppml COMMAND… ARGS… --endpoint <data>/endpoint.json}; the admin token comes from beside
   * it.
   */
  Cli.Result run(List<String> command, String... args) {
    List<String> all = new ArrayList<>(command);
    all.addAll(List.of(args));
    all.add("--endpoint");
    all.add(dataDir.resolve("endpoint.json").toString());
    return Cli.run(all.toArray(String[]::new));
  }

  @Override
  public void close() throws Exception {
    server.close();
  }
}
