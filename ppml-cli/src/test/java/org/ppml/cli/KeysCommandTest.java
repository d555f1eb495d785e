package org.ppml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysCommandTest {
  @TempDir Path dir;

  @Test
  void createImportListRotateDisable() throws Exception {
    String kms = "local:" + dir.resolve("keys");
    String kf = dir.resolve("k.key").toString();
    assertEquals(0, Cli.run("keys", "create", "--kms", kms, "--keystore-key-file", kf, "--name", "a").exit());
    Cli.Result imp = Cli.run("keys", "import", "--kms", kms, "--keystore-key-file", kf, "--name", "byok", "--key-hex", "00".repeat(32), "--json");
    assertEquals(0, imp.exit(), imp.err());
    assertEquals("byok", imp.json().get("name").asText());
    assertFalse(imp.out().contains("00".repeat(32)), "material never printed");
    Path raw = dir.resolve("raw.key");
    Files.write(raw, new byte[32]);
    assertEquals(0, Cli.run("keys", "import", "--kms", kms, "--keystore-key-file", kf, "--name", "fromfile", "--key-file", raw.toString()).exit());
    Cli.Result shortKey = Cli.run("keys", "import", "--kms", kms, "--keystore-key-file", kf, "--name", "x", "--key-hex", "abcd");
    assertEquals(2, shortKey.exit());
    assertTrue(shortKey.err().contains("64 hex digits"), shortKey.err());

    assertEquals(2, Cli.run("keys", "rotate", "--kms", kms, "--keystore-key-file", kf, "--name", "a", "--json").json().get("primaryVersion").asInt());
    assertEquals(0, Cli.run("keys", "disable", "--kms", kms, "--keystore-key-file", kf, "--name", "fromfile").exit());

    JsonNode list = Cli.run("keys", "list", "--kms", kms, "--keystore-key-file", kf, "--json").json();
    assertEquals(3, list.get("keys").size());
    assertEquals("a", list.get("keys").get(0).get("name").asText());
    assertEquals(2, list.get("keys").get(0).get("versions").size());
    assertFalse(list.get("keys").get(2).get("enabled").asBoolean());
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
    assertEquals(0, process(dir, "s3cret-pass", "keys", "create", "--kms", kms, "--name", "k").exit());
    Cli.Result ok = process(dir, "s3cret-pass", "keys", "list", "--kms", kms, "--json");
    assertEquals(0, ok.exit(), ok.err());
    assertEquals("k", ok.json().get("keys").get(0).get("name").asText());

    Cli.Result wrong = process(dir, "not-it", "keys", "list", "--kms", kms);
    assertEquals(2, wrong.exit());
    assertTrue(wrong.err().contains("wrong passphrase"), wrong.err());
    assertEquals(1, wrong.err().strip().lines().count(), wrong.err());
    assertFalse(wrong.err().contains("not-it"));
  }
}
