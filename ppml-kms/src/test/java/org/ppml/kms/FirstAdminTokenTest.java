package org.ppml.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.attestation.simulated.DevHome;
import org.ppml.kms.http.KeyBrokerServer;
import org.ppml.kms.testing.TestBackend;
import org.ppml.kmsclient.broker.BrokerTls;
import org.ppml.kmsclient.broker.KeyBrokerAdminClient;

/**
 * The first admin token reaches its file before it becomes valid. A first start that died after
 * writing the file but before committing the token leaves a file whose token the broker does not
 * know; the next start must issue a token and replace the file, never leave the broker with an
 * admin token nobody holds.
 */
class FirstAdminTokenTest {
  @TempDir Path tmp;

  @Test
  void aStaleTokenFileFromAnInterruptedFirstStartIsReplacedByAWorkingToken() throws Exception {
    DevHome dev = DevHome.init(tmp.resolve("dev"), Instant.now().minusSeconds(60));
    Path data = tmp.resolve("data");
    Files.createDirectories(data);
    Path file = data.resolve(KeyBrokerServer.ADMIN_TOKEN_FILE);
    String stale = "ppml_admin_from-a-start-that-never-committed";
    Files.writeString(file, stale + "\n");
    try (KeyBrokerServer server =
        KeyBrokerServer.start(
            TestBackend.devConfig(data, dev.directory()),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
      String issued = server.firstAdminToken().orElseThrow();
      String onDisk = Files.readString(file).trim();
      assertEquals(issued, onDisk);
      assertFalse(onDisk.equals(stale));
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
      KeyBrokerAdminClient admin =
          new KeyBrokerAdminClient(
              URI.create(server.url()),
              BrokerTls.pinned(server.tlsSha256()),
              onDisk,
              Duration.ofSeconds(30));
      assertTrue(admin.listKeys().isEmpty());
    }
  }
}
