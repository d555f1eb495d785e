package org.ppml.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.attestation.policy.Policy;

/**
 * {@code ppml gramine sign|manifest}: the gramine-v1.9-a vector byte for byte, and a manifest over
 * the real JDK and the jars Maven resolved for this module.
 */
class GramineCommandsTest {
  private static final String GRAMINE = "sigstruct/gramine-v1.9-a/";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Under target/: inputs anywhere but /tmp itself are accepted (see the last hostile input). */
  static Path work;

  static Path jars;
  static Path appJar;
  static Path extraJars;
  static Path libos;
  static Path runtime;
  static Map<String, Path> jarTargets = new HashMap<>();

  @TempDir Path tmp;

  @BeforeAll
  static void sparkLikeInputs() throws IOException {
    work = Path.of("target/gramine-cli-test").toAbsolutePath();
    if (Files.exists(work)) {
      try (Stream<Path> walk = Files.walk(work)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    jars = Files.createDirectories(work.resolve("spark/jars"));
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry);
      if (entry.endsWith(".jar")
          && Files.isRegularFile(p)
          && !Files.exists(jars.resolve(p.getFileName()))) {
        Files.createSymbolicLink(jars.resolve(p.getFileName()), p.toAbsolutePath());
        jarTargets.put(p.getFileName().toString(), p);
      }
    }
    assertTrue(jarTargets.size() >= 10, "the Maven test class path holds the CLI's jars");
    // A real Spark classpath, not just any jars: Spark itself and the shaded Hadoop client it runs
    // on.
    assertTrue(
        jarTargets.keySet().stream().anyMatch(n -> n.matches("spark-core_2\\.12-.+\\.jar")),
        "spark-core_2.12 jar: " + jarTargets.keySet());
    assertTrue(
        jarTargets.keySet().stream().anyMatch(n -> n.matches("hadoop-client-.+\\.jar")),
        "hadoop-client jar: " + jarTargets.keySet());
    appJar =
        Files.write(
            Files.createDirectories(work.resolve("app")).resolve("app.jar"),
            new byte[] {'P', 'K', 3, 4});
    extraJars = Files.createDirectories(work.resolve("ppml-jars"));
    Files.write(extraJars.resolve("b.jar"), new byte[] {'P', 'K', 1});
    Files.write(extraJars.resolve("a.jar"), new byte[] {'P', 'K', 2});
    Files.writeString(extraJars.resolve("README"), "not a jar");
    libos = Files.copy(TestData.file(GRAMINE + "libsysdb.so"), work.resolve("libsysdb.so"));
    runtime = Files.createDirectories(work.resolve("runtime"));
    Files.writeString(runtime.resolve("libc.so.6"), "not really libc");
  }

  private static List<String> manifestArgs(Path out, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "gramine",
                "manifest",
                "--jdk-home",
                System.getProperty("java.home"),
                "--spark-jars",
                jars.toString(),
                "--app-jar",
                appJar.toString(),
                "--extra-jars",
                extraJars.toString(),
                "--libos",
                libos.toString(),
                "--runtime-dir",
                runtime.toString(),
                "--heap",
                "10g",
                "--cores",
                "4",
                "--isvprodid",
                "3",
                "--isvsvn",
                "5",
                "--env",
                "SPARK_USER=spark",
                "--passthrough-env",
                "SPARK_EXECUTOR_ID",
                "--out",
                out.toString(),
                "--json"));
    args.addAll(List.of(extra));
    return args;
  }

  @Test
  void signReproducesGramineSigByteForByte() throws IOException {
    for (String option : List.of("--manifest-sgx", "--manifest")) {
      Path out = tmp.resolve(option.substring(2) + ".sig");
      Cli.Result r =
          Cli.run(
              "gramine",
              "sign",
              option,
              TestData.arg(GRAMINE + "a.manifest.sgx"),
              "--libpal",
              TestData.arg(GRAMINE + "libpal.so"),
              "--key",
              TestData.arg(GRAMINE + "enclave-key.pem"),
              "--date",
              "2025-01-31",
              "--out",
              out.toString(),
              "--json");
      assertEquals(0, r.exit(), r.err());
      assertArrayEquals(
          Files.readAllBytes(TestData.file(GRAMINE + "a.sig")), Files.readAllBytes(out));
      JsonNode policy = r.json().get("policy");
      assertEquals(
          "[\"9e4eb3845bb3f1dd465ec59130b7bf0f9d445a2de892e8560be6acec39235757\"]",
          policy.get("mrEnclave").toString());
      assertEquals(
          "901ee2acd0383cd601ff5db8d01e5656ebc36e51f35c92e735ec0690ae94d365",
          policy.get("mrSigner").asText());
      assertEquals(1, policy.get("isvProdId").asInt());
      assertEquals(2, policy.get("minIsvSvn").asInt());
      assertTrue(policy.get("allowDebug").asBoolean(), "the vector is a debug enclave");
    }
  }

  @Test
  void manifestMeasuresSignsAndWritesThePolicyTheBrokerTakes() throws Exception {
    Path out = work.resolve("out/spark-executor");
    Cli.Result r =
        Cli.run(
            manifestArgs(
                    out,
                    "--libpal",
                    TestData.arg(GRAMINE + "libpal.so"),
                    "--key",
                    TestData.arg(GRAMINE + "enclave-key.pem"),
                    "--date",
                    "2025-01-31")
                .toArray(String[]::new));
    assertEquals(0, r.exit(), r.err());
    JsonNode j = r.json();
    Path manifest = Path.of(j.get("manifest").asText());
    Path manifestSgx = Path.of(j.get("manifestSgx").asText());
    Path sig = Path.of(j.get("sig").asText());
    assertEquals(work.resolve("out/spark-executor.manifest"), manifest);
    assertEquals(
        work.resolve("out/policy.json"),
        Path.of(j.get("policyFile").asText()),
        "beside OUT, where the image's Dockerfile copies it from");
    assertArrayEquals(Files.readAllBytes(manifest), Files.readAllBytes(manifestSgx));

    JsonNode toml = new TomlMapper().readTree(manifestSgx.toFile());
    Map<String, String> trusted = new HashMap<>();
    toml.path("sgx")
        .path("trusted_files")
        .forEach(tf -> trusted.put(tf.path("uri").asText(), tf.path("sha256").asText()));
    for (Map.Entry<String, Path> jar : jarTargets.entrySet()) {
      assertEquals(
          sha256(jar.getValue()), trusted.get("file:" + jars.resolve(jar.getKey())), jar.getKey());
    }
    assertEquals(sha256(appJar), trusted.get("file:" + appJar));
    assertEquals(
        sha256(extraJars.resolve("a.jar")), trusted.get("file:" + extraJars.resolve("a.jar")));
    assertFalse(
        trusted.containsKey("file:" + extraJars.resolve("README")),
        "--extra-jars DIR takes only jars");
    long size = j.get("enclaveSize").asLong();
    assertEquals(1, Long.bitCount(size), "power of two");
    assertEquals(16L << 30, size, "10g heap + half + 1G, rounded up");
    assertEquals(128 + 16 * 4, j.get("maxThreads").asInt());
    assertEquals(j.get("trustedFiles").asInt(), toml.path("sgx").path("trusted_files").size());
    assertTrue(toml.path("sgx").path("use_exinfo").asBoolean());
    assertTrue(
        toml.path("loader").path("env").path("SPARK_EXECUTOR_ID").path("passthrough").asBoolean());

    // Every output agrees with the commands that check it.
    Cli.Result measured =
        Cli.run(
            "enclave",
            "measure",
            "--gramine-manifest",
            manifestSgx.toString(),
            "--libpal",
            TestData.arg(GRAMINE + "libpal.so"),
            "--json");
    assertEquals(j.get("mrEnclave").asText(), measured.json().get("mrEnclave").asText());
    Path resigned = tmp.resolve("again.sig");
    assertEquals(
        0,
        Cli.run(
                "gramine",
                "sign",
                "--manifest-sgx",
                manifestSgx.toString(),
                "--libpal",
                TestData.arg(GRAMINE + "libpal.so"),
                "--key",
                TestData.arg(GRAMINE + "enclave-key.pem"),
                "--date",
                "2025-01-31",
                "--out",
                resigned.toString())
            .exit());
    assertArrayEquals(Files.readAllBytes(sig), Files.readAllBytes(resigned));
    Cli.Result shown = Cli.run("enclave", "show", sig.toString(), "--json");
    assertEquals(0, shown.exit(), shown.err());
    assertEquals(3, shown.json().get("isvProdId").asInt());
    assertEquals(5, shown.json().get("isvSvn").asInt());
    assertFalse(shown.json().get("debug").asBoolean());

    Policy policy = Policy.parse(Files.readAllBytes(work.resolve("out/policy.json")));
    JsonNode written = JSON.readTree(policy.toJson().toString());
    assertEquals(j.get("mrEnclave").asText(), written.get("mrEnclave").get(0).asText());
    assertEquals(
        "901ee2acd0383cd601ff5db8d01e5656ebc36e51f35c92e735ec0690ae94d365",
        written.get("mrSigner").asText());
    assertEquals(3, written.get("isvProdId").asInt());
    assertEquals(5, written.get("minIsvSvn").asInt());
    assertEquals(j.get("policy"), JSON.readTree(Files.readString(work.resolve("out/policy.json"))));
  }

  @Test
  void withoutLibpalAndKeyOnlyTheManifestIsWritten() throws IOException {
    Path out = work.resolve("plain/exec");
    Cli.Result r = Cli.run(manifestArgs(out, "--debug", "--tmp", "tmpfs").toArray(String[]::new));
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.json().get("policy").isNull());
    assertTrue(r.json().get("mrEnclave").isNull());
    assertTrue(Files.exists(work.resolve("plain/exec.manifest.sgx")));
    assertFalse(Files.exists(work.resolve("plain/exec.sig")));
    assertFalse(Files.exists(work.resolve("plain/policy.json")));
    assertTrue(r.err().contains("debug enclave"), r.err());
    JsonNode mounts =
        new TomlMapper()
            .readTree(work.resolve("plain/exec.manifest").toFile())
            .path("fs")
            .path("mounts");
    // /tmp comes right after /lib, before the host directories (so they are not shadowed).
    assertEquals("/tmp", mounts.get(1).path("path").asText());
    assertEquals("tmpfs", mounts.get(1).path("type").asText(), "--tmp tmpfs");
  }

  @Test
  void onlyAllowListedVariablesPassThroughFromTheHost() throws IOException {
    Path out = work.resolve("env/exec");
    Cli.Result r =
        Cli.run(
            manifestArgs(
                    out,
                    "--passthrough-env",
                    "SPARK_EXECUTOR_POD_IP",
                    "--passthrough-env",
                    "SPARK_DRIVER_URL",
                    "--passthrough-env",
                    "SPARK_APPLICATION_ID")
                .toArray(String[]::new));
    assertEquals(0, r.exit(), r.err());
    JsonNode env =
        new TomlMapper()
            .readTree(work.resolve("env/exec.manifest").toFile())
            .path("loader")
            .path("env");
    List<String> passthrough = new ArrayList<>();
    env.fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().path("passthrough").asBoolean()) {
                passthrough.add(e.getKey());
              }
            });
    assertEquals(
        List.of(
            "SPARK_APPLICATION_ID",
            "SPARK_DRIVER_URL",
            "SPARK_EXECUTOR_ID",
            "SPARK_EXECUTOR_POD_IP"),
        passthrough);
    assertEquals("spark", env.path("SPARK_USER").asText(), "--env is fixed, not passed through");

    Path refused = work.resolve("refused/exec");
    for (String name : List.of("LD_PRELOAD", "GLIBC_TUNABLES", "JAVA_TOOL_OPTIONS", "FOO")) {
      Cli.run(manifestArgs(refused, "--passthrough-env", name).toArray(String[]::new))
          .assertError(2, "loader.env." + name, "not on the allow-list");
    }
    assertFalse(Files.exists(work.resolve("refused")), "nothing written");
  }

  @Test
  void badManifestInputsExitWith2AndWriteNothing() throws IOException {
    Path out = work.resolve("bad/exec");
    Cli.run(
            manifestArgs(out, "--key", TestData.arg(GRAMINE + "enclave-key.pem"))
                .toArray(String[]::new))
        .assertError(2, "--key needs --libpal");
    Cli.run(manifestArgs(out, "--passthrough-env", "LD_PRELOAD").toArray(String[]::new))
        .assertError(2, "LD_PRELOAD");
    List<String> badHeap = manifestArgs(out);
    badHeap.set(badHeap.indexOf("10g"), "lots");
    Cli.run(badHeap.toArray(String[]::new)).assertError(2, "--heap", "lots");
    Cli.run(manifestArgs(out, "--tmp", "ramdisk").toArray(String[]::new))
        .assertError(2, "--tmp", "ramdisk");
    Cli.run(manifestArgs(out, "--enclave-size", "3g").toArray(String[]::new))
        .assertError(2, "power of two");
    Cli.run(manifestArgs(out, "--libpal", TestData.arg(GRAMINE + "a.sig")).toArray(String[]::new))
        .assertError(2, "a.sig", "ELF");
    List<String> noGramine = manifestArgs(out);
    noGramine.set(noGramine.indexOf(runtime.toString()), work.resolve("no-gramine").toString());
    Cli.run(noGramine.toArray(String[]::new))
        .assertError(2, "--runtime-dir", "no-gramine", "does not exist");

    // Inputs under /tmp are fine now (mounted after the enclave's /tmp); /tmp itself is not.
    Cli.run(manifestArgs(out, "--data-dir", "/tmp").toArray(String[]::new))
        .assertError(2, "/tmp itself");
    assertFalse(Files.exists(work.resolve("bad")), "nothing written");
  }

  @Test
  void signRejectsHostileInputs() throws IOException {
    Path out = tmp.resolve("never.sig");
    String[] base = {
      "gramine",
      "sign",
      "--libpal",
      TestData.arg(GRAMINE + "libpal.so"),
      "--key",
      TestData.arg(GRAMINE + "enclave-key.pem"),
      "--out",
      out.toString(),
      "--manifest-sgx"
    };
    Path notToml = Files.writeString(tmp.resolve("x.manifest.sgx"), "sgx.enclave_size = [[[");
    Cli.run(concat(base, notToml.toString())).assertError(2, "x.manifest.sgx", "TOML");
    Path tooSmall =
        Files.writeString(
            tmp.resolve("small.manifest.sgx"), "[sgx]\nenclave_size = \"64K\"\nmax_threads = 64\n");
    Cli.run(concat(base, tooSmall.toString())).assertError(2, "small.manifest.sgx");
    Cli.run(
            "gramine",
            "sign",
            "--manifest-sgx",
            TestData.arg(GRAMINE + "a.manifest.sgx"),
            "--libpal",
            TestData.arg(GRAMINE + "libpal.so"),
            "--key",
            TestData.arg(GRAMINE + "a.manifest.sgx"),
            "--out",
            out.toString())
        .assertError(2, "a.manifest.sgx", "PEM");
    assertFalse(Files.exists(out));
  }

  private static String[] concat(String[] a, String b) {
    String[] all = Arrays.copyOf(a, a.length + 1);
    all[a.length] = b;
    return all;
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
