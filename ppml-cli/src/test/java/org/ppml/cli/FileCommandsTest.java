package org.ppml.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCommandsTest {
  @TempDir Path dir;
  private String kms;
  private String keyFile;

  @BeforeEach
  void createKey() {
    kms = "local:" + dir.resolve("keys");
    keyFile = dir.resolve("store.key").toString();
    Cli.Result r =
        Cli.run(
            "keys",
            "create",
            "--kms",
            kms,
            "--keystore-key-file",
            keyFile,
            "--name",
            "sales",
            "--json");
    assertEquals(0, r.exit(), r.err());
  }

  private Cli.Result ppml(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--keystore-key-file";
    all[args.length + 1] = keyFile;
    return Cli.run(all);
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void encryptInspectDecryptAFile() throws IOException {
    Path plain = dir.resolve("a.csv");
    byte[] data = random(700_000, 1);
    Files.write(plain, data);

    Cli.Result enc =
        ppml(
            "encrypt",
            "--kms",
            kms,
            "--key",
            "sales",
            "--segment-size",
            "65536",
            plain.toString(),
            dir.resolve("a.ppml").toString(),
            "--json");
    assertEquals(0, enc.exit(), enc.err());
    assertEquals(1, enc.json().get("files").asInt());
    assertEquals(700_000, enc.json().get("plaintextBytes").asLong());
    assertFalse(enc.err().contains("MiB"), "no progress bar with --json: " + enc.err());

    Cli.Result inspect = Cli.run("inspect", dir.resolve("a.ppml").toString(), "--json");
    assertEquals(0, inspect.exit(), inspect.err());
    JsonNode h = inspect.json();
    assertEquals(1, h.get("formatVersion").asInt());
    assertEquals("AES256_GCM_HKDF_SHA256", h.get("suite").asText());
    assertEquals(65536, h.get("segmentSize").asInt());
    assertEquals(
        "local:" + dir.resolve("keys").toAbsolutePath().normalize(), h.get("kms").asText());
    assertEquals("sales", h.get("keyName").asText());
    assertEquals(1, h.get("keyVersion").asInt());
    assertEquals(700_000, h.get("plaintextLength").asLong());
    assertEquals(Files.size(dir.resolve("a.ppml")), h.get("ciphertextLength").asLong());

    Cli.Result dec =
        ppml(
            "decrypt",
            "--kms",
            kms,
            dir.resolve("a.ppml").toString(),
            dir.resolve("b.csv").toString());
    assertEquals(0, dec.exit(), dec.err());
    // Tests run with stdout piped, so the JVM has no console: no bar, even without --json.
    assertFalse(dec.err().contains("MiB"), "no progress bar when piped: " + dec.err());
    assertArrayEquals(data, Files.readAllBytes(dir.resolve("b.csv")));
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("b.csv"))));
  }

  @Test
  void directoriesKeepTheirLayoutAndMarkers() throws IOException {
    Path in = dir.resolve("table");
    Files.createDirectories(in.resolve("year=2024/month=1"));
    Files.write(in.resolve("year=2024/month=1/part-0.csv"), random(5000, 2));
    Files.write(in.resolve("part-1.csv"), random(0, 3));
    Files.createFile(in.resolve("_SUCCESS"));
    Files.write(in.resolve(".part-1.csv.crc"), random(10, 4));

    assertEquals(
        0,
        ppml(
                "encrypt",
                "--kms",
                kms,
                "--key",
                "sales",
                in.toString(),
                dir.resolve("enc").toString())
            .exit());
    assertTrue(Files.exists(dir.resolve("enc/year=2024/month=1/part-0.csv")));
    assertEquals(0, Files.size(dir.resolve("enc/_SUCCESS")), "markers stay plain and empty");
    assertFalse(Files.exists(dir.resolve("enc/.part-1.csv.crc")), "hidden files are skipped");
    assertEquals(
        0,
        Cli.run("inspect", dir.resolve("enc/part-1.csv").toString()).exit(),
        "an empty file is a valid PPML file");

    Cli.Result dec =
        ppml(
            "decrypt",
            "--kms",
            kms,
            dir.resolve("enc").toString(),
            dir.resolve("dec").toString(),
            "--json");
    assertEquals(0, dec.exit(), dec.err());
    assertEquals(2, dec.json().get("files").asInt());
    assertArrayEquals(
        Files.readAllBytes(in.resolve("year=2024/month=1/part-0.csv")),
        Files.readAllBytes(dir.resolve("dec/year=2024/month=1/part-0.csv")));
    assertEquals(0, Files.size(dir.resolve("dec/part-1.csv")));
  }

  @Test
  void aTamperedFileFailsWithExit1AndLeavesNoOutput() throws IOException {
    Path in = dir.resolve("t");
    Files.createDirectories(in);
    Files.write(in.resolve("good.csv"), random(300_000, 5));
    Files.write(in.resolve("zbad.csv"), random(300_000, 6));
    assertEquals(
        0,
        ppml(
                "encrypt",
                "--kms",
                kms,
                "--key",
                "sales",
                in.toString(),
                dir.resolve("enc").toString())
            .exit());
    Path bad = dir.resolve("enc/zbad.csv");
    byte[] bytes = Files.readAllBytes(bad);
    bytes[bytes.length - 5] ^= 4;
    Files.write(bad, bytes);

    Cli.Result tree =
        ppml("decrypt", "--kms", kms, dir.resolve("enc").toString(), dir.resolve("out").toString());
    assertEquals(1, tree.exit());
    assertTrue(tree.err().contains("zbad.csv") && tree.err().contains("segment 1"), tree.err());
    assertEquals(1, tree.err().strip().lines().count(), "one line, no stack trace: " + tree.err());
    assertFalse(Files.exists(dir.resolve("out")), "no partial output");

    Cli.Result one =
        ppml("decrypt", "--kms", kms, bad.toString(), dir.resolve("one.csv").toString(), "--json");
    assertEquals(1, one.exit());
    assertEquals("integrity", one.json().get("error").get("code").asText());
    assertFalse(Files.exists(dir.resolve("one.csv")));
    try (Stream<Path> left = Files.list(dir)) {
      assertTrue(
          left.noneMatch(p -> p.getFileName().toString().contains("staging")), "staging removed");
    }
  }

  @Test
  void aHeaderNotInTheWritersFormIsRejectedWithExit1() throws IOException {
    Path plain = dir.resolve("h.csv");
    Files.write(plain, random(10_000, 9));
    Path enc = dir.resolve("h.ppml");
    assertEquals(
        0,
        ppml(
                "encrypt",
                "--kms",
                kms,
                "--key",
                "sales",
                "--segment-size",
                "4096",
                plain.toString(),
                enc.toString())
            .exit());
    byte[] good = Files.readAllBytes(enc);
    int jsonLength = ((good[6] & 0xFF) << 8) | (good[7] & 0xFF);
    String json = new String(good, 8, jsonLength, java.nio.charset.StandardCharsets.UTF_8);
    Path bad = dir.resolve("bad.ppml");
    Path out = dir.resolve("bad.csv");

    // A sample of single-bit flips over the whole header (HeaderCanonicalFormTest does all 8192
    // through the library): decrypt says "rejected" (exit 1) on one line and writes nothing.
    for (int bit = 3; bit < 1024 * 8; bit += 331) {
      byte[] m = good.clone();
      m[bit / 8] ^= (byte) (1 << (bit % 8));
      Files.write(bad, m);
      ppml("decrypt", "--kms", kms, bad.toString(), out.toString())
          .assertError(1, "bad.ppml", "integrity check failed");
      assertFalse(Files.exists(out), "no output for flipped bit " + bit);
    }

    // Rewrites of the JSON that a lenient parser accepts: inspect and decrypt both refuse them.
    String[] rewrites = {
      json + "x",
      json + "A".repeat(Math.min(800, 1016 - jsonLength)),
      json + "{\"kms\":\"evil\",\"keyName\":\"other\"}",
      " " + json,
      json.replace("\"sales\"", "\"\\u0073ales\""),
      json.substring(0, json.length() - 1) + ",\"keyName\":\"other\"}",
    };
    for (String rewrite : rewrites) {
      byte[] text = rewrite.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      byte[] m = good.clone();
      java.util.Arrays.fill(m, 6, 1024, (byte) 0);
      m[6] = (byte) (text.length >> 8);
      m[7] = (byte) text.length;
      System.arraycopy(text, 0, m, 8, text.length);
      Files.write(bad, m);
      Cli.run("inspect", bad.toString()).assertError(1, "bad.ppml", "header");
      ppml("decrypt", "--kms", kms, bad.toString(), out.toString())
          .assertError(1, "bad.ppml", "header");
      assertFalse(Files.exists(out));
    }
    // jsonLength widened over the zero padding
    byte[] wide = good.clone();
    wide[7] = (byte) (jsonLength + 1);
    wide[6] = (byte) ((jsonLength + 1) >> 8);
    Files.write(bad, wide);
    Cli.run("inspect", bad.toString()).assertError(1, "bad.ppml", "jsonLength (offset 6)");
  }

  @Test
  void rotateThenRewrapMovesFilesToTheNewVersion() throws IOException {
    Path plain = dir.resolve("r.csv");
    Files.write(plain, random(10_000, 7));
    assertEquals(
        0,
        ppml(
                "encrypt",
                "--kms",
                kms,
                "--key",
                "sales",
                plain.toString(),
                dir.resolve("r.ppml").toString())
            .exit());
    Cli.Result rot = ppml("keys", "rotate", "--kms", kms, "--name", "sales", "--json");
    assertEquals(2, rot.json().get("primaryVersion").asInt());

    Cli.Result rw =
        ppml("rewrap", "--kms", kms, "--key", "sales", dir.resolve("r.ppml").toString(), "--json");
    assertEquals(0, rw.exit(), rw.err());
    assertEquals(1, rw.json().get("rewrapped").asInt());
    assertEquals(
        2,
        Cli.run("inspect", dir.resolve("r.ppml").toString(), "--json")
            .json()
            .get("keyVersion")
            .asInt());
    assertEquals(
        0,
        ppml(
                "decrypt",
                "--kms",
                kms,
                dir.resolve("r.ppml").toString(),
                dir.resolve("r2.csv").toString())
            .exit());
    assertArrayEquals(Files.readAllBytes(plain), Files.readAllBytes(dir.resolve("r2.csv")));
  }

  @Test
  void usageAndInputErrorsExitWith2OnOneLine() throws IOException {
    Cli.Result missing = Cli.run("encrypt", "--key", "k", "a", "b");
    assertEquals(2, missing.exit());
    assertTrue(missing.err().contains("--kms"), missing.err());
    assertEquals(1, missing.err().strip().lines().count(), missing.err());

    Cli.Result nofile =
        ppml(
            "encrypt",
            "--kms",
            kms,
            "--key",
            "sales",
            dir.resolve("nope").toString(),
            dir.resolve("x").toString());
    assertEquals(2, nofile.exit());
    assertTrue(
        nofile.err().contains("no such file") && nofile.err().contains("nope"), nofile.err());

    Files.writeString(dir.resolve("plain.txt"), "not encrypted");
    Cli.Result notPpml = Cli.run("inspect", dir.resolve("plain.txt").toString());
    assertEquals(1, notPpml.exit());
    assertTrue(notPpml.err().contains("plain.txt"), notPpml.err());

    Cli.Result badSegment =
        ppml(
            "encrypt",
            "--kms",
            kms,
            "--key",
            "sales",
            "--segment-size",
            "100",
            dir.resolve("plain.txt").toString(),
            dir.resolve("y").toString());
    assertEquals(2, badSegment.exit());
    assertTrue(badSegment.err().contains("--segment-size"), badSegment.err());

    Cli.Result unknownKey =
        ppml(
            "encrypt",
            "--kms",
            kms,
            "--key",
            "nosuch",
            dir.resolve("plain.txt").toString(),
            dir.resolve("z").toString(),
            "--json");
    assertEquals(2, unknownKey.exit());
    assertEquals("kms.key_not_found", unknownKey.json().get("error").get("code").asText());
    assertFalse(Files.exists(dir.resolve("z")));

    Cli.Result verbose =
        ppml(
            "encrypt",
            "--kms",
            kms,
            "--key",
            "nosuch",
            dir.resolve("plain.txt").toString(),
            dir.resolve("z").toString(),
            "--verbose");
    assertTrue(verbose.err().contains("at org.ppml"), "--verbose shows the stack trace");
  }
}
