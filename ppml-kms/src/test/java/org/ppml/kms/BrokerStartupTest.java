package org.ppml.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.attestation.simulated.DevHome;
import org.ppml.kms.http.KeyBrokerServer;
import org.ppml.kms.store.SqliteStore;
import org.ppml.kms.store.StoreException;
import org.ppml.kms.tls.TlsIdentity;
import org.ppml.kmsclient.broker.BrokerTls;

/**
 * What a broker promises at start: the TLS versions it speaks, a configured PEM identity, the
 * SQLite durability settings, the banner and endpoint file, and the inputs it refuses to start on.
 */
class BrokerStartupTest {
  @TempDir Path tmp;

  private static final ObjectMapper JSON = new ObjectMapper();

  private KeyBrokerServer start(KeyBrokerConfig config, ByteArrayOutputStream banner)
      throws Exception {
    return KeyBrokerServer.start(config, new PrintStream(banner, true, StandardCharsets.UTF_8));
  }

  private DevHome dev() throws Exception {
    return DevHome.init(tmp.resolve("dev"), Instant.now().minusSeconds(60));
  }

  /**
   * The protocol a handshake offering only {@code protocol} settles on, pinned to the broker's
   * certificate.
   */
  private static String handshake(KeyBrokerServer server, String sha256, String... protocols)
      throws Exception {
    SSLContext tls = BrokerTls.pinned(sha256);
    int port = java.net.URI.create(server.url()).getPort();
    try (SSLSocket s =
        (SSLSocket) tls.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
      s.setEnabledProtocols(protocols);
      s.startHandshake();
      return s.getSession().getProtocol();
    }
  }

  @Test
  void speaksTls13FirstAcceptsTls12AndRefusesOlder() throws Exception {
    DevHome dev = dev();
    try (KeyBrokerServer server =
        start(
            KeyBrokerConfig.dev(tmp.resolve("data"), dev.directory()),
            new ByteArrayOutputStream())) {
      assertEquals("TLSv1.3", handshake(server, server.tlsSha256(), "TLSv1.3", "TLSv1.2"));
      assertEquals("TLSv1.2", handshake(server, server.tlsSha256(), "TLSv1.2"));
      // The JDK may refuse to offer 1.1 at all; either way no TLS 1.1 session comes about.
      assertThrows(Exception.class, () -> handshake(server, server.tlsSha256(), "TLSv1.1"));
    }
  }

  @Test
  void theCreatedTlsKeyIsOwnerOnlyAndNoTemporaryIsLeftBesideIt() throws Exception {
    DevHome dev = dev();
    Path data = tmp.resolve("data");
    try (KeyBrokerServer server =
        start(KeyBrokerConfig.dev(data, dev.directory()), new ByteArrayOutputStream())) {
      Path key = data.resolve(TlsIdentity.KEY_FILE);
      assertTrue(Files.isRegularFile(key), "first start creates " + key);
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
      // AtomicFile writes a dot-prefixed sibling and renames it; one left behind would be a
      // second copy of the private key under a name nobody looks after.
      try (Stream<Path> files = Files.list(data)) {
        List<String> strays =
            files
                .map(p -> p.getFileName().toString())
                .filter(
                    n ->
                        n.endsWith(".tmp")
                            || (n.contains(TlsIdentity.KEY_FILE)
                                && !n.equals(TlsIdentity.KEY_FILE)))
                .toList();
        assertEquals(List.of(), strays);
      }
    }
  }

  @Test
  void aConfiguredPemIdentityIsServedInsteadOfACreatedOne() throws Exception {
    DevHome dev = dev();
    // A PEM pair made the way a CA-issued one would be handed over: two files, the key 0600.
    TlsIdentity issued =
        TlsIdentity.loadOrCreate(tmp.resolve("issued"), java.util.List.of("127.0.0.1"));
    Path cert = tmp.resolve("issued").resolve(TlsIdentity.CERT_FILE);
    Path key = tmp.resolve("issued").resolve(TlsIdentity.KEY_FILE);
    KeyBrokerConfig config =
        KeyBrokerConfig.builder(tmp.resolve("data")).dev(dev.directory()).tls(cert, key).build();
    try (KeyBrokerServer server = start(config, new ByteArrayOutputStream())) {
      assertEquals(issued.sha256(), server.tlsSha256());
      assertEquals("TLSv1.3", handshake(server, issued.sha256(), "TLSv1.3"));
      assertTrue(
          Files.notExists(tmp.resolve("data").resolve(TlsIdentity.KEY_FILE)),
          "no self-signed key is created when one is configured");
    }
  }

  @Test
  void theDatabaseIsWalWithFullSyncAndTheBannerAndEndpointFileSayWhereItIs() throws Exception {
    DevHome dev = dev();
    Path data = tmp.resolve("data");
    ByteArrayOutputStream first = new ByteArrayOutputStream();
    String firstUrl;
    try (KeyBrokerServer server = start(KeyBrokerConfig.dev(data, dev.directory()), first)) {
      String banner = first.toString(StandardCharsets.UTF_8);
      assertTrue(
          banner.contains(server.firstAdminToken().orElseThrow()),
          "first start prints the admin token");
      assertTrue(banner.contains(server.tlsSha256()), banner);
      JsonNode endpoint = JSON.readTree(data.resolve(KeyBrokerServer.ENDPOINT_FILE).toFile());
      firstUrl = endpoint.get("url").asText();
      assertEquals(server.url(), firstUrl);
      assertEquals(server.tlsSha256(), endpoint.get("tlsSha256").asText());
      try (Connection c =
              DriverManager.getConnection("jdbc:sqlite:" + data.resolve(SqliteStore.FILE_NAME));
          Statement s = c.createStatement()) {
        try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
          assertEquals("wal", rs.getString(1));
        }
      }
    }
    // synchronous is a per-connection setting: check it on the broker's own store.
    try (SqliteStore store = SqliteStore.open(data)) {
      assertEquals(
          "2",
          store.inTransaction(
              c -> {
                try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("PRAGMA synchronous")) {
                  return rs.getString(1);
                }
              }),
          "synchronous=FULL is 2");
    }
    ByteArrayOutputStream second = new ByteArrayOutputStream();
    try (KeyBrokerServer server = start(KeyBrokerConfig.dev(data, dev.directory()), second)) {
      String banner = second.toString(StandardCharsets.UTF_8);
      assertTrue(server.firstAdminToken().isEmpty());
      assertTrue(!banner.contains("first admin token"), "the admin token is shown once only");
      JsonNode endpoint = JSON.readTree(data.resolve(KeyBrokerServer.ENDPOINT_FILE).toFile());
      assertEquals(server.url(), endpoint.get("url").asText(), "rewritten on every start");
      assertNotEquals(
          firstUrl, endpoint.get("url").asText(), "ephemeral ports differ between starts");
    }
  }

  @Test
  void refusesAMasterKeyFileOthersCanReadAndADatabaseFromANewerBroker() throws Exception {
    DevHome dev = dev();
    Path data = tmp.resolve("data");
    try (KeyBrokerServer server =
        start(KeyBrokerConfig.dev(data, dev.directory()), new ByteArrayOutputStream())) {
      assertTrue(server.url().startsWith("https://"));
    }
    Path masterKey = data.resolve("master.key");
    Files.setPosixFilePermissions(masterKey, PosixFilePermissions.fromString("rw-r--r--"));
    Exception open =
        assertThrows(
            Exception.class,
            () ->
                start(KeyBrokerConfig.dev(data, dev.directory()), new ByteArrayOutputStream())
                    .close());
    assertTrue(open.getMessage().contains("chmod 600"), open.getMessage());
    Files.setPosixFilePermissions(masterKey, PosixFilePermissions.fromString("rw-------"));

    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + data.resolve(SqliteStore.FILE_NAME));
        Statement s = c.createStatement()) {
      s.execute("INSERT INTO schema_version (version) VALUES (999)");
    }
    StoreException newer = assertThrows(StoreException.class, () -> SqliteStore.open(data).close());
    assertTrue(newer.getMessage().contains("newer than this broker"), newer.getMessage());
  }
}
