package org.ppml.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.crypto.kms.DataKey;
import org.ppml.crypto.kms.KmsCredentials;
import org.ppml.crypto.kms.WrappedKey;
import org.ppml.crypto.kms.local.LocalKms;

class KeysCommandTest {
  @TempDir Path dir;

  @Test
  void createImportListRotateDisable() throws Exception {
    String kms = "local:" + dir.resolve("keys");
    String kf = dir.resolve("k.key").toString();
    assertEquals(
        0,
        Cli.run("keys", "create", "--kms", kms, "--keystore-key-file", kf, "--name", "a").exit());
    Cli.Result imp =
        Cli.run(
            "keys",
            "import",
            "--kms",
            kms,
            "--keystore-key-file",
            kf,
            "--name",
            "byok",
            "--key-hex",
            "00".repeat(32),
            "--json");
    assertEquals(0, imp.exit(), imp.err());
    assertEquals("byok", imp.json().get("name").asText());
    assertFalse(imp.out().contains("00".repeat(32)), "material never printed");
    Path raw = dir.resolve("raw.key");
    Files.write(raw, new byte[32]);
    assertEquals(
        0,
        Cli.run(
                "keys",
                "import",
                "--kms",
                kms,
                "--keystore-key-file",
                kf,
                "--name",
                "fromfile",
                "--key-file",
                raw.toString())
            .exit());
    Cli.Result shortKey =
        Cli.run(
            "keys",
            "import",
            "--kms",
            kms,
            "--keystore-key-file",
            kf,
            "--name",
            "x",
            "--key-hex",
            "abcd");
    assertEquals(2, shortKey.exit());
    assertTrue(shortKey.err().contains("64 hex digits"), shortKey.err());

    assertEquals(
        2,
        Cli.run("keys", "rotate", "--kms", kms, "--keystore-key-file", kf, "--name", "a", "--json")
            .json()
            .get("primaryVersion")
            .asInt());
    assertEquals(
        0,
        Cli.run("keys", "disable", "--kms", kms, "--keystore-key-file", kf, "--name", "fromfile")
            .exit());

    JsonNode list =
        Cli.run("keys", "list", "--kms", kms, "--keystore-key-file", kf, "--json").json();
    assertEquals(3, list.get("keys").size());
    assertEquals("a", list.get("keys").get(0).get("name").asText());
    assertEquals(2, list.get("keys").get(0).get("versions").size());
    assertFalse(list.get("keys").get(2).get("enabled").asBoolean());
  }

  /** The store the CLI wrote, opened the way the CLI opens it (same key file). */
  private LocalKms store(Path kf) {
    return LocalKms.open(dir.resolve("keys"), KmsCredentials.of(null, kf));
  }

  /**
   * docs/format.md's local wrap, undone with nothing but the JDK and the primary key bytes: proof
   * that the key the store wraps with is exactly the one imported.
   */
  private static byte[] unwrapWithTheJdk(byte[] primaryKey, WrappedKey wrapped) throws Exception {
    byte[] w = wrapped.wrapped();
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(
        Cipher.DECRYPT_MODE,
        new SecretKeySpec(primaryKey, "AES"),
        new GCMParameterSpec(128, w, 0, 12));
    c.updateAAD((wrapped.keyName() + "#" + wrapped.keyVersion()).getBytes(StandardCharsets.UTF_8));
    return c.doFinal(w, 12, w.length - 12);
  }

  private Cli.Result importFile(String kf, String name, Path keyFile) {
    return Cli.run(
        "keys",
        "import",
        "--kms",
        "local:" + dir.resolve("keys"),
        "--keystore-key-file",
        kf,
        "--name",
        name,
        "--key-file",
        keyFile.toString(),
        "--json");
  }

  @Test
  void aRawKeyFileIsTheKeyThatWrapsDataKeys() throws Exception {
    byte[] known = new byte[32];
    for (int i = 0; i < known.length; i++) {
      known[i] = (byte) (0x80 + 3 * i); // not one of them is a hex digit or whitespace
    }
    Path file = dir.resolve("raw.key");
    Files.write(file, known);
    Path kf = dir.resolve("store.key");
    Cli.Result r = importFile(kf.toString(), "byok", file);
    assertEquals(0, r.exit(), r.err());
    assertEquals(1, r.json().get("primaryVersion").asInt());

    try (DataKey dataKey = store(kf).generateDataKey("byok")) {
      assertArrayEquals(dataKey.keyBytes(), unwrapWithTheJdk(known, dataKey.wrapped()));
    }
  }

  @Test
  void aHexKeyFileWithATrailingNewlineIsTheKeyThatWrapsDataKeys() throws Exception {
    byte[] known =
        HexFormat.of().parseHex("f0e1d2c3b4a5968778695a4b3c2d1e0f00112233445566778899aabbccddeeff");
    Path file = dir.resolve("hex.key");
    Files.writeString(
        file, HexFormat.of().formatHex(known).toUpperCase() + "\n", StandardCharsets.US_ASCII);
    Path kf = dir.resolve("store.key");
    Cli.Result r = importFile(kf.toString(), "hexkey", file);
    assertEquals(0, r.exit(), r.err());
    assertFalse(r.out().toLowerCase().contains("f0e1d2c3"), "material never printed");

    try (DataKey dataKey = store(kf).generateDataKey("hexkey")) {
      assertArrayEquals(dataKey.keyBytes(), unwrapWithTheJdk(known, dataKey.wrapped()));
    }
  }

  @Test
  void thirtyTwoHexDigitsAreASixteenByteKeyInHexNotThirtyTwoRawBytes() throws Exception {
    // docs/cli.md: a file whose content (whitespace aside) is all hex digits, of even length, is
    // hex.
    String digits = "00112233445566778899aabbccddeeff";
    Path file = dir.resolve("ambiguous.key");
    Files.writeString(file, digits, StandardCharsets.US_ASCII);
    assertEquals(32, Files.size(file));
    Path kf = dir.resolve("store.key");
    assertEquals(0, importFile(kf.toString(), "kf", file).exit());

    assertArrayEquals(
        HexFormat.of().parseHex(digits), store(kf).explicitKey("kf"), "16 bytes decoded from hex");
  }

  @Test
  void aKeyFileThatIsNeitherIsRefusedWithItsLength() throws Exception {
    Path kf = dir.resolve("store.key");
    Path rawWithNewline = dir.resolve("raw33.key");
    byte[] content = new byte[33];
    java.util.Arrays.fill(content, (byte) 0x90);
    content[32] = '\n';
    Files.write(rawWithNewline, content);
    importFile(kf.toString(), "x", rawWithNewline)
        .assertError(2, "--key-file", "33 bytes", "not hex");
    Path oddHex = dir.resolve("odd.key");
    Files.writeString(oddHex, "abc\n");
    importFile(kf.toString(), "y", oddHex).assertError(2, "--key-file", "4 bytes");
    Path shortHex = dir.resolve("short.key");
    Files.writeString(shortHex, "abcd\n");
    importFile(kf.toString(), "z", shortHex).assertError(2, "--key-file", "64 hex digits");
  }

  /** A real child process, so that the environment variable path is exercised as users use it. */
  private static Cli.Result process(Path dir, String password, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(PpmlMain.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().remove("PPML_KEYSTORE_KEYFILE");
    pb.environment().put("PPML_KEYSTORE_PASSWORD", password);
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return new Cli.Result(p.exitValue(), out, err);
  }

  @Test
  void passphraseFromTheEnvironmentAndAWrongOneIsAClearError() throws Exception {
    String kms = "local:" + dir.resolve("keys");
    assertEquals(
        0, process(dir, "s3cret-pass", "keys", "create", "--kms", kms, "--name", "k").exit());
    Cli.Result ok = process(dir, "s3cret-pass", "keys", "list", "--kms", kms, "--json");
    assertEquals(0, ok.exit(), ok.err());
    assertEquals("k", ok.json().get("keys").get(0).get("name").asText());

    Cli.Result wrong = process(dir, "not-it", "keys", "list", "--kms", kms);
    assertEquals(2, wrong.exit());
    assertTrue(wrong.err().contains("wrong passphrase"), wrong.err());
    assertEquals(1, wrong.err().strip().lines().count(), wrong.err());
    assertFalse(wrong.err().contains("not-it"));
  }

  /**
   * A KBS is administered with its own tools, so {@code kbs+https} implements no administration
   * capability: every key command and {@code rewrap} says so, naming the backend and the operation,
   * before any network call (nothing listens on the port).
   */
  @Test
  void aBackendWithoutTheCapabilityIsAUsageErrorNamingBackendAndOperation() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String kbs = "kbs+https://127.0.0.1:" + port + "?tlsSha256=" + "ab".repeat(32);
    String reference = "kbs+https://127.0.0.1:" + port;
    Cli.run("keys", "rotate", "--kms", kbs, "--name", "k")
        .assertError(2, "rotating keys", "not offered", reference);
    Cli.run("keys", "create", "--kms", kbs, "--name", "k")
        .assertError(2, "creating keys", reference);
    Cli.run("keys", "list", "--kms", kbs).assertError(2, "listing keys", reference);
    Cli.run("keys", "disable", "--kms", kbs, "--name", "k")
        .assertError(2, "disabling keys", reference);
    Cli.run("keys", "import", "--kms", kbs, "--name", "k", "--key-hex", "00".repeat(32))
        .assertError(2, "importing keys", reference);
    Path file = dir.resolve("f.ppml");
    Files.write(file, new byte[1024]);
    Cli.run("rewrap", "--kms", kbs, "--key", "k", file.toString())
        .assertError(2, "re-wrapping files", reference);

    Cli.Result json = Cli.run("keys", "rotate", "--kms", kbs, "--name", "k", "--json");
    assertEquals(2, json.exit());
    assertEquals("kms.unsupported", json.json().get("error").get("code").asText());
  }

  @Test
  void aKeyFileThatNeverEndsIsAUsageError() {
    Path zero = Path.of("/dev/zero");
    if (!Files.isReadable(zero)) {
      return;
    }
    String kms = "local:" + dir.resolve("keys");
    Cli.run(
            "keys",
            "import",
            "--kms",
            kms,
            "--keystore-key-file",
            dir.resolve("k.key").toString(),
            "--name",
            "z",
            "--key-file",
            zero.toString())
        .assertError(2, "--key-file /dev/zero is larger than a key file can be");
  }
}
