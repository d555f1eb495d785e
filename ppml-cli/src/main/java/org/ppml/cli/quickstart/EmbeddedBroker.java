package org.ppml.cli.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.ppml.attestation.simulated.DevHome;
import org.ppml.kms.KeyBrokerConfig;
import org.ppml.kms.http.KeyBrokerServer;
import org.ppml.kmsclient.broker.BrokerTls;
import org.ppml.kmsclient.broker.KeyBrokerAdminClient;

/**
 * The quickstart's key broker: the real server in dev mode on an ephemeral loopback port, TLS with
 * its self-signed certificate, SQLite in the workspace, trusting only the workspace's dev root. It
 * lives in this JVM, so it cannot outlive the command.
 */
final class EmbeddedBroker implements AutoCloseable {
  private final DevHome devHome;
  private final KeyBrokerServer server;
  private final KeyBrokerAdminClient admin;

  private EmbeddedBroker(DevHome devHome, KeyBrokerServer server, KeyBrokerAdminClient admin) {
    this.devHome = devHome;
    this.server = server;
    this.admin = admin;
  }

  static EmbeddedBroker start(Path dataDir, DevHome devHome) throws Exception {
    KeyBrokerServer server =
        KeyBrokerServer.start(
            KeyBrokerConfig.dev(dataDir, devHome.directory()),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    try {
      KeyBrokerAdminClient admin =
          new KeyBrokerAdminClient(
              URI.create(server.url()),
              BrokerTls.pinned(server.tlsSha256()),
              server.firstAdminToken().orElseThrow(),
              Duration.ofSeconds(30));
      return new EmbeddedBroker(devHome, server, admin);
    } catch (Exception e) {
      stop(server);
      throw e;
    }
  }

  /** {@code ppml+https://127.0.0.1:PORT}: what file headers name. */
  String reference() {
    return "ppml+https://" + URI.create(server.url()).getAuthority();
  }

  String tlsSha256() {
    return server.tlsSha256();
  }

  /** The KMS URI a simulated enclave in this workspace uses: pinned TLS, simulated evidence. */
  String simulatedEnclaveUri() {
    return reference()
        + "?tlsSha256="
        + tlsSha256()
        + "&provider=simulated&dev=true&devHome="
        + URLEncoder.encode(devHome.directory().toString(), StandardCharsets.UTF_8);
  }

  /** The policy that admits enclaves signed with the dev enclave key, simulated and debug. */
  String devSignerPolicy() {
    return policyFor(HexFormat.of().formatHex(devHome.mrSigner()));
  }

  static String policyFor(String mrSignerHex) {
    return "{\"mrSigner\":\""
        + mrSignerHex
        + "\",\"isvProdId\":0,\"allowSimulated\":true,\"allowDebug\":true}";
  }

  String devMrSigner() {
    return HexFormat.of().formatHex(devHome.mrSigner());
  }

  void createKey(String name, String policy) throws IOException {
    admin.createKey(name, policy);
  }

  void setPolicy(String name, String policy) throws IOException {
    admin.setPolicy(name, policy);
  }

  List<JsonNode> audit() throws IOException {
    return admin.audit(Instant.EPOCH);
  }

  @Override
  public void close() {
    stop(server);
  }

  private static void stop(KeyBrokerServer server) {
    try {
      server.close();
    } catch (Exception e) {
      // Stopping an in-process server only fails if it was already stopping; nothing is left to do.
    }
  }
}
