package org.ppml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * What {@code package} built, checked the way {@code bin/ppml} uses it: the shaded ppml.jar ships
 * no Tink (Tink is a test oracle and a benchmark baseline, not a runtime dependency), and {@code
 * ppml bench crypto} works both without Tink and with the bench class path bin/ppml adds.
 *
 * <p>Runs in the {@code integration-test} phase (see the POM), after the jar exists.
 */
class PackagedJarIT {
  private static final Path TARGET = Path.of(System.getProperty("ppml.cli.target", "target"));
  private static final Path JAR = TARGET.resolve("ppml.jar");

  @Test
  void theShadedJarHoldsNoTinkClass() throws IOException {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      assertNotNull(
          jar.getEntry("org/ppml/cli/bench/CryptoThroughput.class"), "not the CLI jar: " + JAR);
      List<String> tink =
          jar.stream()
              .map(e -> e.getName())
              .filter(n -> n.startsWith("com/google/crypto/tink/"))
              .limit(5)
              .toList();
      assertEquals(List.of(), tink, JAR + " ships Tink");
    }
  }

  @Test
  void theSparkClassPathHoldsNoTinkAndTheBenchClassPathDoes() throws IOException {
    assertFalse(Files.readString(TARGET.resolve("spark-classpath")).contains("/tink-"));
    String bench = Files.readString(TARGET.resolve("bench-classpath"));
    assertTrue(bench.contains("/tink-"), bench);
  }

  @Test
  void benchCryptoWithoutTinkSaysStreamVsTinkIsUnavailable() throws Exception {
    JsonNode j = benchCrypto(false);
    assertTrue(j.get("streamVsRaw").asDouble() > 0, j.toString());
    assertTrue(j.get("streamVsTink").isNull(), j.toString());
    assertTrue(
        j.get("tinkUnavailable").asText().contains("Tink is not on the class path"), j.toString());
    assertTrue(j.get("gbPerSecond").get("tink").isNull(), j.toString());
  }

  @Test
  void benchCryptoWithTheBenchClassPathMeasuresTink() throws Exception {
    JsonNode j = benchCrypto(true);
    assertTrue(j.get("streamVsTink").asDouble() > 0, j.toString());
    assertFalse(j.has("tinkUnavailable"), j.toString());
  }

  /** {@code ppml bench crypto --json} in a fresh JVM, with the class path bin/ppml builds. */
  private static JsonNode benchCrypto(boolean withBenchClassPath) throws Exception {
    String classPath = JAR + ":" + Files.readString(TARGET.resolve("spark-classpath")).strip();
    if (withBenchClassPath) {
      classPath =
          JAR
              + ":"
              + Files.readString(TARGET.resolve("bench-classpath")).strip()
              + ":"
              + Files.readString(TARGET.resolve("spark-classpath")).strip();
    }
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(
        Arrays.asList(Files.readString(TARGET.resolve("jvm-options")).strip().split("\\s+")));
    command.addAll(
        List.of(
            "-cp",
            classPath,
            "org.ppml.cli.PpmlMain",
            "bench",
            "crypto",
            "--seconds",
            "2",
            "--json"));
    Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "bench did not finish");
    assertEquals(0, p.exitValue(), "stderr: " + err + "\nstdout: " + out);
    return new ObjectMapper().readTree(out);
  }
}
