package org.ppml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.attestation.simulated.DevHome;
import org.ppml.crypto.kms.DataKey;
import org.ppml.crypto.kms.WrappedKey;
import org.ppml.kmsclient.broker.BrokerTls;
import org.ppml.kmsclient.broker.KeyBrokerClient;

/**
 * {@code ppml kms …} through the real command line against a real dev broker: TLS on an ephemeral
 * loopback port, SQLite in a temp directory, simulated evidence from {@code ppml dev init}.
 */
class KmsCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

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

  /**
   * {@code kms SUBCOMMAND… --endpoint <data>/endpoint.json ARGS…}; the admin token comes from
   * beside it.
   */
  private static Cli.Result kms(String... args) {
    return dev.run(List.of("kms"), args);
  }

  private static Path policyFile(String name, String mrSigner) throws Exception {
    Path p = dir.resolve(name + ".policy.json");
    Files.writeString(
        p,
        "{\"mrSigner\":\""
            + mrSigner
            + "\",\"isvProdId\":0,\"allowSimulated\":true,\"allowDebug\":true}");
    return p;
  }

  private static void assertOk(Cli.Result r) {
    assertEquals(0, r.exit(), () -> "stderr: " + r.err() + " stdout: " + r.out());
  }

  @Test
  void keysLifecycleWithExplicitUrlPinAndTokenFile() {
    String[] target = {
      "--url",
      dev.server().url(),
      "--tls-sha256",
      dev.server().tlsSha256(),
      "--admin-token-file",
      dev.dataDir().resolve("admin-token").toString(),
      "--json"
    };
    Cli.Result created =
        Cli.run(concat(new String[] {"kms", "keys", "create", "--name", "lifecycle"}, target));
    assertOk(created);
    assertEquals("lifecycle", created.json().get("name").asText());
    assertEquals(1, created.json().get("primaryVersion").asInt());

    Cli.Result rotated =
        Cli.run(concat(new String[] {"kms", "keys", "rotate", "--name", "lifecycle"}, target));
    assertOk(rotated);
    assertEquals(2, rotated.json().get("primaryVersion").asInt());
    assertEquals("[1,2]", rotated.json().get("versions").toString());

    Cli.Result disabled =
        Cli.run(concat(new String[] {"kms", "keys", "disable", "--name", "lifecycle"}, target));
    assertOk(disabled);
    assertFalse(disabled.json().get("enabled").asBoolean());

    Cli.Result listed = Cli.run(concat(new String[] {"kms", "keys", "list"}, target));
    assertOk(listed);
    JsonNode key = find(listed.json().get("keys"), "name", "lifecycle");
    assertEquals(2, key.get("primaryVersion").asInt());
    assertFalse(key.get("enabled").asBoolean());

    Cli.Result human = kms("keys", "list");
    assertOk(human);
    assertTrue(human.out().contains("lifecycle") && human.out().contains("DISABLED"), human.out());

    kms("keys", "create", "--name", "lifecycle").assertError(2, "409", "lifecycle");
    kms("keys", "rotate", "--name", "nosuchkey").assertError(2, "404");
  }

  @Test
  void policySetAndGet() throws Exception {
    assertOk(kms("keys", "create", "--name", "policed"));
    Cli.Result defaults = kms("policy", "get", "--name", "policed", "--json");
    assertOk(defaults);
    assertFalse(defaults.json().get("allowSimulated").asBoolean(), defaults.out());

    Cli.Result set =
        kms(
            "policy",
            "set",
            "--name",
            "policed",
            "--policy",
            policyFile("policed", dev.mrSigner()).toString(),
            "--json");
    assertOk(set);
    assertEquals(dev.mrSigner(), set.json().get("mrSigner").asText());
    Cli.Result got = kms("policy", "get", "--name", "policed", "--json");
    assertOk(got);
    assertEquals(set.json(), got.json());
    assertTrue(got.json().get("allowSimulated").asBoolean());

    Path notJson = dir.resolve("broken.json");
    Files.writeString(notJson, "{mrSigner");
    kms("policy", "set", "--name", "policed", "--policy", notJson.toString())
        .assertError(2, "broken.json", "not JSON");
  }

  @Test
  void attestPrintsTheSimulatedClaimsButNotTheToken() {
    Cli.Result r =
        kms("attest", "--provider", "simulated", "--dev-home", dev.devHome().toString(), "--json");
    assertOk(r);
    JsonNode claims = r.json();
    assertTrue(claims.get("simulated").asBoolean(), r.out());
    assertEquals(dev.mrSigner(), claims.get("mrSigner").asText());
    assertEquals("ppml-kms", claims.get("iss").asText());
    assertFalse(r.out().contains("eyJ"), "no JWT on stdout: " + r.out());

    kms("attest", "--provider", "simulated", "--dev-home", dir.resolve("nodev").toString())
        .assertError(2, "dev init", "nodev");
  }

  @Test
  void datakeyIsReleasedWrappedOnlyThenDeniedAndAudited() throws Exception {
    Instant start = Instant.now().minusSeconds(1);
    assertOk(
        kms(
            "keys",
            "create",
            "--name",
            "release",
            "--policy",
            policyFile("release", dev.mrSigner()).toString()));

    Cli.Result allowed =
        kms(
            "datakey",
            "--key",
            "release",
            "--provider",
            "simulated",
            "--dev-home",
            dev.devHome().toString(),
            "--json");
    assertOk(allowed);
    JsonNode j = allowed.json();
    assertEquals(List.of("keyName", "keyVersion", "wrappedKey"), fieldNames(j));
    assertEquals("release", j.get("keyName").asText());
    assertEquals(1, j.get("keyVersion").asInt());
    byte[] key =
        unwrap(
            new WrappedKey("release", 1, Base64.getDecoder().decode(j.get("wrappedKey").asText())));
    assertNoKey(key, allowed);
    Cli.Result human =
        kms(
            "datakey",
            "--key",
            "release",
            "--provider",
            "simulated",
            "--dev-home",
            dev.devHome().toString());
    assertOk(human);
    assertTrue(human.out().contains("wrappedKey"), human.out());

    String otherSigner = "5a".repeat(32);
    assertOk(
        kms(
            "policy",
            "set",
            "--name",
            "release",
            "--policy",
            policyFile("other", otherSigner).toString()));
    Cli.Result denied =
        kms(
            "datakey",
            "--key",
            "release",
            "--provider",
            "simulated",
            "--dev-home",
            dev.devHome().toString(),
            "--json");
    denied.assertError(1, "403", "mrSigner");
    JsonNode error = denied.json().get("error");
    assertEquals("kms.policy-denied", error.get("code").asText());
    assertTrue(error.get("violations").toString().contains("mrSigner"), error.toString());
    assertFalse(denied.out().contains("wrappedKey"), denied.out());

    Cli.Result audit = kms("audit", "--since", start.toString(), "--json");
    assertOk(audit);
    List<JsonNode> records = jsonLines(audit.out());
    assertTrue(
        records.stream().anyMatch(r -> is(r, "datakey", "allow") && r.get("simulated").asBoolean()),
        audit.out());
    JsonNode denial =
        records.stream()
            .filter(r -> is(r, "datakey", "deny"))
            .findFirst()
            .orElseThrow(() -> new AssertionError(audit.out()));
    assertTrue(denial.get("violations").toString().contains("mrSigner"), denial.toString());
    assertNoKey(key, audit);

    Cli.Result humanAudit = kms("audit", "--since", start.toString());
    assertOk(humanAudit);
    assertTrue(
        humanAudit
            .out()
            .lines()
            .anyMatch(l -> l.contains("datakey") && l.contains("deny") && l.contains("mrSigner")),
        humanAudit.out());
  }

  @Test
  void rewrapThroughTheBrokerMovesAFileToTheRotatedKeyWithoutReleasingIt() throws Exception {
    assertOk(
        kms(
            "keys",
            "create",
            "--name",
            "rewrapped",
            "--policy",
            policyFile("rewrapped", dev.mrSigner()).toString()));
    String enclave =
        "ppml+https://"
            + URI.create(dev.server().url()).getAuthority()
            + "?tlsSha256="
            + dev.server().tlsSha256()
            + "&provider=simulated&dev=true&devHome="
            + dev.devHome();
    String administrator = enclave + "&adminTokenFile=" + dev.dataDir().resolve("admin-token");
    Path plain = dir.resolve("rewrap.csv");
    Files.write(plain, "id,amount\n1,10\n2,20\n".repeat(500).getBytes(StandardCharsets.UTF_8));
    Path encrypted = dir.resolve("rewrap.ppml");
    assertOk(
        Cli.run(
            "encrypt",
            "--kms",
            enclave,
            "--key",
            "rewrapped",
            plain.toString(),
            encrypted.toString()));
    assertOk(kms("keys", "rotate", "--name", "rewrapped"));

    Instant start = Instant.now().minusSeconds(1);
    Cli.Result rw =
        Cli.run(
            "rewrap", "--kms", administrator, "--key", "rewrapped", encrypted.toString(), "--json");
    assertOk(rw);
    assertEquals(1, rw.json().get("rewrapped").asInt());
    assertEquals(
        2, Cli.run("inspect", encrypted.toString(), "--json").json().get("keyVersion").asInt());
    List<JsonNode> records = jsonLines(kms("audit", "--since", start.toString(), "--json").out());
    assertTrue(
        records.stream()
            .anyMatch(
                r ->
                    r.get("event").asText().equals("rewrap")
                        && r.get("decision").asText().equals("allow")
                        && r.get("keyName").asText().equals("rewrapped")),
        records.toString());
    assertTrue(
        records.stream().noneMatch(r -> r.get("event").asText().equals("unwrap")),
        "the rewrap released nothing: " + records);

    Path back = dir.resolve("rewrap-back.csv");
    assertOk(Cli.run("decrypt", "--kms", enclave, encrypted.toString(), back.toString()));
    assertEquals(Files.readString(plain), Files.readString(back));

    Cli.run("rewrap", "--kms", enclave, "--key", "rewrapped", encrypted.toString())
        .assertError(1, "admin token");
  }

  @Test
  void refusalsAreOneLineWithTheirExitCode() throws Exception {
    Path wrongToken = dir.resolve("wrong-token");
    Files.writeString(wrongToken, "not-the-admin-token\n");
    Cli.Result unauthorized =
        kms("keys", "list", "--admin-token-file", wrongToken.toString(), "--json");
    unauthorized.assertError(1, "401");
    assertFalse(unauthorized.err().contains("not-the-admin-token"), unauthorized.err());
    assertEquals("kms.unauthorized", unauthorized.json().get("error").get("code").asText());

    Cli.run("kms", "keys", "list").assertError(2, "--url", "--endpoint");
    String wrongPin = "00".repeat(32);
    Cli.run(
            "kms",
            "keys",
            "list",
            "--url",
            dev.server().url(),
            "--tls-sha256",
            wrongPin,
            "--admin-token-file",
            dev.dataDir().resolve("admin-token").toString())
        .assertError(2, "TLS", wrongPin, dev.server().url());
    Cli.run(
            "kms",
            "attest",
            "--url",
            dev.server().url(),
            "--tls-sha256",
            "abc",
            "--provider",
            "simulated",
            "--dev-home",
            dev.devHome().toString())
        .assertError(2, "--tls-sha256");
    Cli.run(
            "kms",
            "keys",
            "list",
            "--url",
            dev.server().url(),
            "--admin-token-file",
            wrongToken.toString())
        .assertError(2, "--tls-sha256");
    Cli.run(
            "kms",
            "keys",
            "list",
            "--url",
            "http://" + URI.create(dev.server().url()).getAuthority(),
            "--tls-sha256",
            wrongPin,
            "--admin-token-file",
            wrongToken.toString())
        .assertError(2, "https://");
    Cli.run(
            "kms",
            "keys",
            "list",
            "--url",
            "https://127.0.0.1:1",
            "--tls-sha256",
            dev.server().tlsSha256(),
            "--admin-token-file",
            wrongToken.toString())
        .assertError(2, "127.0.0.1:1");
  }

  @Test
  void aCaBundleCanReplaceThePin() {
    Cli.Result r =
        Cli.run(
            "kms",
            "keys",
            "list",
            "--url",
            dev.server().url(),
            "--tls-ca",
            dev.dataDir().resolve("tls-cert.pem").toString(),
            "--admin-token-file",
            dev.dataDir().resolve("admin-token").toString(),
            "--json");
    assertOk(r);
    assertTrue(r.json().get("keys").isArray());
  }

  @Test
  void serveRejectsABadListenAddress() {
    Cli.run(
            "kms",
            "serve",
            "--dev",
            "--dev-home",
            dev.devHome().toString(),
            "--data",
            dir.resolve("bad").toString(),
            "--listen",
            "nohost")
        .assertError(2, "--listen", "nohost");
    Cli.run("kms", "serve", "--collateral", "a", "--pccs", "https://x")
        .assertError(2, "mutually exclusive");
  }

  /**
   * Issue 13 §1 at the broker: it verifies with strict CRLs, so a bundle without CRLs (alone, or in
   * a collateral directory) stops it at start, naming the file, the fields and the mode.
   */
  @Test
  void serveRefusesCollateralWithoutCrlsAtStart() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode bundle =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            mapper.readTree(
                Files.readAllBytes(TestData.file("dcap/phala-dcap-qvl/sgx_quote_collateral.json")));
    bundle.remove(List.of("root_ca_crl", "pck_crl", "pck_crl_issuer_chain"));
    Path archived = Files.createDirectories(dir.resolve("archived"));
    Path file = Files.writeString(archived.resolve("sgx-archived.json"), bundle.toString());
    for (Path collateral : List.of(file, archived)) {
      Cli.Result r =
          assertTimeoutPreemptively(
              Duration.ofSeconds(60),
              () ->
                  Cli.run(
                      "kms",
                      "serve",
                      "--collateral",
                      collateral.toString(),
                      "--data",
                      dir.resolve("crl-less-" + collateral.getFileName()).toString(),
                      "--listen",
                      "127.0.0.1:0"));
      r.assertError(2, "root_ca_crl, pck_crl, pck_crl_issuer_chain", "CRL mode strict");
      assertTrue(r.err().contains("sgx-archived.json"), r.err());
    }
  }

  @Test
  void serveWritesTheEndpointFileServesAndStopsWhenInterrupted() throws Exception {
    Path data = dir.resolve("served");
    CompletableFuture<Cli.Result> served = new CompletableFuture<>();
    Thread server =
        new Thread(
            () ->
                served.complete(
                    Cli.run(
                        "kms",
                        "serve",
                        "--dev",
                        "--dev-home",
                        dev.devHome().toString(),
                        "--data",
                        data.toString(),
                        "--listen",
                        "127.0.0.1:0")),
            "kms-serve-test");
    server.start();
    Path endpoint = data.resolve("endpoint.json");
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!Files.exists(endpoint) && !served.isDone() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    try {
      assertTrue(
          Files.exists(endpoint),
          () -> "no endpoint.json; serve ended with " + served.getNow(null));
      JsonNode e = JSON.readTree(endpoint.toFile());
      assertTrue(e.get("url").asText().startsWith("https://127.0.0.1:"), e.toString());
      assertEquals(
          "rw-------",
          java.nio.file.attribute.PosixFilePermissions.toString(
              Files.getPosixFilePermissions(data.resolve("admin-token"))));

      Cli.Result keys =
          Cli.run(
              "kms",
              "keys",
              "create",
              "--name",
              "served",
              "--endpoint",
              endpoint.toString(),
              "--json");
      assertOk(keys);
      Cli.Result attest =
          Cli.run(
              "kms",
              "attest",
              "--endpoint",
              endpoint.toString(),
              "--dev-home",
              dev.devHome().toString(),
              "--json");
      assertOk(attest);
      assertTrue(attest.json().get("simulated").asBoolean());
    } finally {
      server.interrupt();
      server.join(TimeUnit.SECONDS.toMillis(20));
    }
    Cli.Result result = served.get(1, TimeUnit.SECONDS);
    assertEquals(0, result.exit(), result.err());
    assertTrue(result.out().contains("listening on"), result.out());
    assertTrue(result.out().contains("WARNING: development mode"), result.out());
    Cli.run("kms", "keys", "list", "--endpoint", endpoint.toString())
        .assertError(2, "cannot reach");
  }

  private static byte[] unwrap(WrappedKey wrapped) throws Exception {
    KeyBrokerClient client =
        new KeyBrokerClient(
            URI.create(dev.server().url()),
            BrokerTls.pinned(dev.server().tlsSha256()),
            DevHome.open(dev.devHome()).provider(new byte[32]),
            Duration.ofSeconds(20));
    // The policy was still the one that admits the dev signer when this runs.
    try (DataKey k = client.unwrap(wrapped)) {
      return k.keyBytes().clone();
    }
  }

  /** Neither base64 (standard or URL-safe) nor hex (either case) of the key appears anywhere. */
  private static void assertNoKey(byte[] key, Cli.Result r) {
    String all = r.out() + r.err();
    assertFalse(
        all.contains(Base64.getEncoder().withoutPadding().encodeToString(key)),
        "the data key leaked as base64");
    assertFalse(
        all.contains(Base64.getUrlEncoder().withoutPadding().encodeToString(key)),
        "the data key leaked as base64url");
    assertFalse(
        all.toLowerCase(Locale.ROOT).contains(HexFormat.of().formatHex(key)),
        "the data key leaked as hex");
  }

  private static boolean is(JsonNode r, String event, String decision) {
    return r.get("event").asText().equals(event)
        && r.get("decision").asText().equals(decision)
        && "release".equals(r.get("keyName").asText());
  }

  private static List<JsonNode> jsonLines(String out) {
    return out.lines()
        .filter(l -> !l.isBlank())
        .map(
            l -> {
              try {
                return JSON.readTree(l);
              } catch (Exception e) {
                throw new AssertionError("not a JSON line: " + l, e);
              }
            })
        .toList();
  }

  private static JsonNode find(JsonNode array, String field, String value) {
    for (JsonNode n : array) {
      if (n.get(field).asText().equals(value)) {
        return n;
      }
    }
    throw new AssertionError("no " + field + "=" + value + " in " + array);
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> names = new ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static String[] concat(String[] a, String[] b) {
    return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
  }
}
