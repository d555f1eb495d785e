package org.ppml.kms;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import org.ppml.attestation.evidence.EvidenceProvider;
import org.ppml.attestation.simulated.DevHome;
import org.ppml.kms.http.KeyBrokerServer;
import org.ppml.kms.store.PostgresLocation;
import org.ppml.kms.testing.TestBackend;
import org.ppml.kmsclient.broker.BrokerTls;
import org.ppml.kmsclient.broker.KeyBrokerAdminClient;
import org.ppml.kmsclient.broker.KeyBrokerClient;

/**
 * A real broker over TLS on loopback, with a real SQLite file (or a real PostgreSQL database, see
 * {@link TestBackend}) and a dev home made for the test.
 */
final class BrokerFixture implements AutoCloseable {
  static final byte[] MRENCLAVE = filled(0xaa);
  static final byte[] OTHER_MRENCLAVE = filled(0xbb);
  static final Duration TIMEOUT = Duration.ofSeconds(20);

  final Path dir;
  final DevHome devHome;
  final ByteArrayOutputStream banner = new ByteArrayOutputStream();
  KeyBrokerServer server;
  String adminToken;

  private final UnaryOperator<KeyBrokerConfig> configure;

  BrokerFixture(Path dir) throws Exception {
    this(dir, c -> c);
  }

  /**
   * @param configure adjusts the dev configuration before each start
   */
  BrokerFixture(Path dir, UnaryOperator<KeyBrokerConfig> configure) throws Exception {
    this.dir = dir;
    this.configure = configure;
    this.devHome = DevHome.init(dir.resolve("dev"), Instant.now().minusSeconds(60));
    start();
    this.adminToken = server.firstAdminToken().orElseThrow();
  }

  void start() throws Exception {
    server =
        KeyBrokerServer.start(
            configure.apply(TestBackend.devConfig(dataDir(), devHome.directory())),
            new PrintStream(banner, true, StandardCharsets.UTF_8));
  }

  void restart() throws Exception {
    server.close();
    start();
  }

  Path dataDir() {
    return dir.resolve("data");
  }

  SSLContext tls() throws Exception {
    return BrokerTls.pinned(server.tlsSha256());
  }

  URI url() {
    return URI.create(server.url());
  }

  KeyBrokerClient client(EvidenceProvider evidence) throws Exception {
    return new KeyBrokerClient(url(), tls(), evidence, TIMEOUT);
  }

  KeyBrokerClient enclaveClient() throws Exception {
    return client(devHome.provider(MRENCLAVE));
  }

  KeyBrokerAdminClient admin() throws Exception {
    return new KeyBrokerAdminClient(url(), tls(), adminToken, TIMEOUT);
  }

  /** The policy that admits the test enclave: its signer, simulated, debug. */
  String simulatedPolicy() {
    return "{\"mrSigner\":\""
        + hex(devHome.mrSigner())
        + "\",\"isvProdId\":0,\"allowSimulated\":true,"
        + "\"allowDebug\":true}";
  }

  /** Every byte the broker stored: the SQLite files, or every column of every PostgreSQL row. */
  byte[] databaseBytes() throws Exception {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    if (TestBackend.postgres()) {
      PostgresLocation db = TestBackend.database(dataDir());
      try (Connection c =
              DriverManager.getConnection(db.jdbcUrl(), db.user(), new String(db.password()));
          Statement s = c.createStatement()) {
        for (String table :
            new String[] {
              "primary_keys",
              "key_versions",
              "resources",
              "api_tokens",
              "nonces",
              "settings",
              "audit",
              "kbs_sessions"
            }) {
          try (ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
              for (int i = 1; i <= columns; i++) {
                byte[] b =
                    rs.getMetaData().getColumnType(i) == Types.BINARY
                        ? rs.getBytes(i)
                        : String.valueOf(rs.getString(i)).getBytes(StandardCharsets.UTF_8);
                if (b != null) {
                  all.write(b);
                }
              }
            }
          }
        }
      }
      return all.toByteArray();
    }
    for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
      Path p = Path.of(server.databaseFile() + suffix);
      if (Files.exists(p)) {
        all.write(Files.readAllBytes(p));
      }
    }
    return all.toByteArray();
  }

  static String hex(byte[] b) {
    return java.util.HexFormat.of().formatHex(b);
  }

  private static byte[] filled(int v) {
    byte[] b = new byte[32];
    Arrays.fill(b, (byte) v);
    return b;
  }

  @Override
  public void close() throws Exception {
    server.close();
  }
}
