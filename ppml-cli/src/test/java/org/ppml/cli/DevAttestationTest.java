package org.ppml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stage 1 through the CLI: {@code dev init}, {@code quote simulate}, {@code quote verify --dev}.
 */
class DevAttestationTest {
  private static final String MRENCLAVE = "ab".repeat(32);

  @TempDir static Path dir;
  static Path home;
  static Path quote;
  static String devMrSigner;

  @BeforeAll
  static void initAndSimulate() {
    home = dir.resolve("dev");
    Cli.Result init = Cli.run("dev", "init", "--dev-home", home.toString(), "--json");
    assertEquals(0, init.exit(), init.err());
    assertEquals("created", init.json().get("action").asText());
    devMrSigner = init.json().get("mrSigner").asText();

    quote = dir.resolve("sim.quote");
    Cli.Result sim =
        Cli.run(
            "quote",
            "simulate",
            "--dev-home",
            home.toString(),
            "--report-data",
            "0xc0ffee",
            "--mrenclave",
            MRENCLAVE,
            "--out",
            quote.toString(),
            "--json");
    assertEquals(0, sim.exit(), sim.err());
    assertEquals(devMrSigner, sim.json().get("mrSigner").asText());
    assertEquals(
        "c0ffee" + "00".repeat(61),
        sim.json().get("reportData").asText(),
        "report data is zero-padded to 64 bytes");
  }

  private static Cli.Result verify(String... extra) {
    String[] base = {
      "quote",
      "verify",
      quote.toString(),
      "--collateral",
      home.resolve("collateral.json").toString(),
      "--json"
    };
    String[] all = java.util.Arrays.copyOf(base, base.length + extra.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return Cli.run(all);
  }

  @Test
  void theDevHomeIsPrivate() throws IOException {
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home)));
    try (Stream<Path> files = Files.list(home)) {
      files.forEach(
          f -> {
            try {
              assertEquals(
                  "rw-------",
                  PosixFilePermissions.toString(Files.getPosixFilePermissions(f)),
                  f.toString());
            } catch (IOException e) {
              throw new AssertionError(e);
            }
          });
    }
  }

  @Test
  void aSimulatedQuoteVerifiesUnderTheDevRootAndSaysSo() {
    Cli.Result r = verify("--dev", "--root", home.resolve("root-ca.pem").toString());
    assertEquals(0, r.exit(), r.err());
    JsonNode j = r.json();
    assertTrue(j.get("verified").asBoolean());
    assertTrue(j.get("simulated").asBoolean());
    assertTrue(j.get("debug").asBoolean(), "simulated enclaves are always debug");
    assertEquals(MRENCLAVE, j.get("mrEnclave").asText());
    assertEquals(devMrSigner, j.get("mrSigner").asText());
    assertTrue(r.err().contains("simulated"), "a note says the evidence is simulated: " + r.err());

    Cli.Result byHome = verify("--dev", "--dev-home", home.toString());
    assertEquals(0, byHome.exit(), byHome.err());
    assertTrue(byHome.json().get("simulated").asBoolean());
  }

  @Test
  void theIntelRootRejectsIt() {
    Cli.Result r = verify();
    r.assertError(1, "sim.quote", "not verified", "pinned root");
    assertEquals("PCK_CERT_CHAIN", r.json().get("error").get("code").asText());

    // Pinning the dev root without --dev still verifies, but the dev root marks itself: the result
    // says simulated, and the default policy refuses it.
    Cli.Result devRootWithoutDev = verify("--root", home.resolve("root-ca.pem").toString());
    assertEquals(0, devRootWithoutDev.exit(), devRootWithoutDev.err());
    assertTrue(
        devRootWithoutDev.json().get("simulated").asBoolean(),
        "a dev root is recognised without --dev");
    assertTrue(devRootWithoutDev.err().contains("simulated"), devRootWithoutDev.err());
  }

  @Test
  void aPolicyWithoutAllowSimulatedRefusesItUnderTheDevRootWithoutDev() throws IOException {
    Path debugOnly = Files.writeString(dir.resolve("debug-only.json"), "{\"allowDebug\":true}");
    Cli.Result denied =
        verify("--root", home.resolve("root-ca.pem").toString(), "--policy", debugOnly.toString());
    denied.assertError(1, "denied by policy", "allowSimulated");
    assertTrue(denied.json().get("verified").asBoolean());
    assertTrue(denied.json().get("simulated").asBoolean());
  }

  @Test
  void onlyAPolicyWithAllowSimulatedAllowsIt() throws IOException {
    Path debugOnly = Files.writeString(dir.resolve("debug.json"), "{\"allowDebug\":true}");
    Cli.Result denied =
        verify("--dev", "--dev-home", home.toString(), "--policy", debugOnly.toString());
    denied.assertError(1, "denied by policy", "allowSimulated");
    assertFalse(denied.json().get("policy").get("allowed").asBoolean());

    Path simulated =
        Files.writeString(
            dir.resolve("simulated.json"),
            "{\"allowDebug\":true,\"allowSimulated\":true,\"mrSigner\":\"" + devMrSigner + "\"}");
    Cli.Result allowed =
        verify("--dev", "--dev-home", home.toString(), "--policy", simulated.toString());
    assertEquals(0, allowed.exit(), allowed.err());
    assertTrue(allowed.json().get("policy").get("allowed").asBoolean());
  }

  @Test
  void initAgainKeepsTheKeysUnlessForced() {
    Path other = dir.resolve("other");
    String first =
        Cli.run("dev", "init", "--home", other.toString(), "--json")
            .json()
            .get("mrSigner")
            .asText();
    Cli.Result again = Cli.run("dev", "init", "--home", other.toString(), "--json");
    assertEquals("refreshed", again.json().get("action").asText());
    assertEquals(
        first,
        again.json().get("mrSigner").asText(),
        "policies pinning the dev MRSIGNER stay valid");
    Cli.Result forced = Cli.run("dev", "init", "--home", other.toString(), "--force", "--json");
    assertEquals("recreated", forced.json().get("action").asText());
    assertNotEquals(first, forced.json().get("mrSigner").asText());
  }

  @Test
  void badSimulateInputsExitWith2AndWriteNothing() {
    Path out = dir.resolve("never.quote");
    Cli.run(
            "quote",
            "simulate",
            "--dev-home",
            home.toString(),
            "--report-data",
            "00".repeat(65),
            "--out",
            out.toString())
        .assertError(2, "--report-data", "64 bytes");
    Cli.run(
            "quote",
            "simulate",
            "--dev-home",
            home.toString(),
            "--report-data",
            "xyz1",
            "--out",
            out.toString())
        .assertError(2, "--report-data", "not hexadecimal");
    Cli.run(
            "quote",
            "simulate",
            "--dev-home",
            home.toString(),
            "--report-data",
            "00",
            "--mrenclave",
            "abcd",
            "--out",
            out.toString())
        .assertError(2, "--mrenclave", "64 hex digits");
    Cli.run(
            "quote",
            "simulate",
            "--dev-home",
            dir.resolve("nohome").toString(),
            "--report-data",
            "00",
            "--out",
            out.toString())
        .assertError(2, "nohome", "ppml dev init");
    verify("--dev", "--dev-home", dir.resolve("nohome").toString()).assertError(2, "nohome");
    assertFalse(Files.exists(out));
  }
}
