package org.ppml.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.attestation.simulated.DevHome;
import org.ppml.crypto.kms.KmsException;
import org.ppml.kmsclient.broker.BrokerTls;
import org.ppml.kmsclient.broker.KeyBrokerClient;
import org.ppml.kmsclient.broker.KeyBrokerException;

/**
 * {@code ppml kms resource put|get|list|delete} through the real command line against a real dev
 * broker, and an attested KBS client reading what {@code put} stored.
 */
class KmsResourceCommandsTest {
  @TempDir static Path dir;
  static DevBroker dev;

  @BeforeAll
  static void startBroker() throws Exception {
    dev = DevBroker.start(dir);
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (dev != null) {
      dev.close();
    }
  }

  private static Cli.Result resource(String... args) {
    return dev.run(List.of("kms", "resource"), args);
  }

  private static void assertOk(Cli.Result r) {
    assertEquals(0, r.exit(), () -> "stderr: " + r.err() + " stdout: " + r.out());
  }

  private static KeyBrokerClient enclave() throws Exception {
    return new KeyBrokerClient(
        URI.create(dev.server().url()),
        BrokerTls.pinned(dev.server().tlsSha256()),
        DevHome.open(dev.devHome()).provider(new byte[32]),
        Duration.ofSeconds(20));
  }

  @Test
  void putListGetDeleteAndAnAttestedReaderFetchesWhatWasPut() throws Exception {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Path keyFile = dir.resolve("sales.key");
    Files.write(keyFile, key);
    Path policy = dir.resolve("sales.policy.json");
    Files.writeString(
        policy,
        "{\"mrSigner\":\""
            + dev.mrSigner()
            + "\",\"isvProdId\":0,\"allowSimulated\":true,\"allowDebug\":true}");

    Cli.Result put =
        resource(
            "put",
            "ppml/keys/sales",
            "--file",
            keyFile.toString(),
            "--policy",
            policy.toString(),
            "--json");
    assertOk(put);
    assertEquals("ppml/keys/sales", put.json().get("path").asText());
    assertEquals(32, put.json().get("bytes").asInt());
    assertTrue(put.json().get("policy").asBoolean());

    // What a kbs+https reader fetches as the data key of key name "sales".
    assertArrayEquals(key, enclave().resource("ppml/keys/sales"));

    Cli.Result list = resource("list", "--json");
    assertOk(list);
    JsonNode sales = null;
    for (JsonNode r : list.json().get("resources")) {
      assertEquals(List.of("path", "policy", "updated"), names(r), r.toString());
      if (r.get("path").asText().equals("ppml/keys/sales")) {
        sales = r;
      }
    }
    assertTrue(sales != null && sales.get("policy").asBoolean(), list.out());
    assertFalse(list.out().contains(Base64.getEncoder().encodeToString(key)), list.out());

    Path out = dir.resolve("sales.back");
    Cli.Result get = resource("get", "ppml/keys/sales", "--out", out.toString(), "--json");
    assertOk(get);
    assertArrayEquals(key, Files.readAllBytes(out));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
    assertEquals(dev.mrSigner(), get.json().get("policy").get("mrSigner").asText());
    String stdout = get.out() + get.err();
    assertFalse(stdout.contains(Base64.getEncoder().encodeToString(key)), stdout);
    assertFalse(stdout.contains(HexFormat.of().formatHex(key)), stdout);
    resource("get", "ppml/keys/sales", "--out", out.toString()).assertError(2, "sales.back");

    Cli.Result deleted = resource("delete", "ppml/keys/sales", "--json");
    assertOk(deleted);
    assertTrue(deleted.json().get("deleted").asBoolean());
    resource("delete", "ppml/keys/sales").assertError(2, "404", "ppml/keys/sales");
    // The reader now meets Trustee's PluginInternalError: not found, not a denial.
    KeyBrokerException gone =
        assertThrows(KeyBrokerException.class, () -> enclave().resource("ppml/keys/sales"));
    assertEquals(KmsException.Reason.KEY_NOT_FOUND, gone.reason());
    assertNotEquals(KmsException.Reason.DENIED, gone.reason());
  }

  @Test
  void aDataKeyPathOfTheWrongSizeIsStoredWithANote() throws Exception {
    Path shortKey = dir.resolve("short.key");
    Files.write(shortKey, new byte[16]);
    Cli.Result put = resource("put", "ppml/keys/short", "--file", shortKey.toString(), "--json");
    assertOk(put);
    assertFalse(put.json().get("policy").asBoolean());
    assertTrue(put.err().contains("exactly 32 bytes"), put.err());
  }

  @Test
  void badPathsAndBadTokensAreRefusedWithTheContractsExitCodes() throws Exception {
    Path f = dir.resolve("any");
    Files.write(f, new byte[32]);
    resource("put", "ppml/keys", "--file", f.toString())
        .assertError(2, "ppml/keys", "<repo>/<type>/<tag>");
    resource("put", "ppml/../keys", "--file", f.toString()).assertError(2, "<repo>/<type>/<tag>");
    resource("get", "a/b/c", "--out", dir.resolve("nope").toString()).assertError(2, "404");
    Path wrongToken = dir.resolve("wrong-token");
    Files.writeString(wrongToken, "ppml_not-a-token\n");
    Cli.run(
            "kms",
            "resource",
            "list",
            "--url",
            dev.server().url(),
            "--tls-sha256",
            dev.server().tlsSha256(),
            "--admin-token-file",
            wrongToken.toString())
        .assertError(1, "401");
  }

  private static List<String> names(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
