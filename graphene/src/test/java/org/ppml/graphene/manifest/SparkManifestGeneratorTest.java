package org.ppml.graphene.manifest;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.enclave.sgx.EnclaveKeyPem;
import org.ppml.enclave.sgx.SigStruct;
import org.ppml.graphene.TestVectors;
import org.ppml.graphene.layout.GramineMeasurement;
import org.ppml.graphene.layout.GramineMeasurer;
import org.ppml.graphene.sign.GramineSigner;

/**
 * Renders manifests over the real JDK running the tests and the jars Maven resolved for this module
 * (linked into a Spark-style {@code jars/} directory).
 */
class SparkManifestGeneratorTest {
  /** Not under /tmp: the manifest mounts /tmp as scratch space, and refuses inputs there. */
  static Path tmp;

  static Path jarsDir;
  static Path appJar;
  static Path libos;
  static Path runtime;
  static Map<String, Path> jarTargets = new HashMap<>();

  @org.junit.jupiter.api.AfterAll
  static void removeInputsOutsideTarget() throws Exception {
    if (tmp != null && tmp.startsWith("/var/tmp")) {
      try (var walk = Files.walk(tmp)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @BeforeAll
  static void inputs() throws Exception {
    tmp = Paths.get("target/manifest-test").toAbsolutePath();
    if (tmp.startsWith("/tmp")) {
      // The checkout itself lives under /tmp (CI clones may): the generator would rightly refuse
      // inputs there, so build them under /var/tmp instead and remove them afterwards.
      tmp = Files.createTempDirectory(Paths.get("/var/tmp"), "ppml-manifest-test");
    }
    if (Files.exists(tmp)) {
      try (var walk = Files.walk(tmp)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Files.createDirectories(tmp);
    jarsDir = Files.createDirectory(tmp.resolve("jars"));
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Paths.get(entry);
      if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
        Path link = jarsDir.resolve(p.getFileName());
        if (!Files.exists(link)) {
          Files.createSymbolicLink(link, p.toAbsolutePath());
          jarTargets.put(link.getFileName().toString(), p);
        }
      }
    }
    assertTrue(jarTargets.size() >= 5, "expected the Maven test class path to hold jars");
    appJar =
        Files.write(
            Files.createDirectory(tmp.resolve("app")).resolve("app.jar"),
            new byte[] {'P', 'K', 5, 6});
    libos =
        Files.write(
            tmp.resolve("libsysdb.so"), TestVectors.read("sigstruct/gramine-v1.9-a/libsysdb.so"));
    runtime = Files.createDirectory(tmp.resolve("runtime"));
    Files.writeString(runtime.resolve("libc.so.6"), "not really libc");
  }

  private static SparkManifestSpec.Builder spec() {
    return SparkManifestSpec.builder()
        .jdkHome(Paths.get(System.getProperty("java.home")))
        .sparkJars(jarsDir)
        .appJar(appJar)
        .libos(libos)
        .runtimeDir(runtime)
        .heapBytes(10L << 30)
        .cores(4)
        .isvProdId(3)
        .isvSvn(5)
        .passthroughEnv("SPARK_EXECUTOR_ID")
        .env("SPARK_USER", "spark");
  }

  @Test
  void manifestTrustsEveryJarWithItsRealHash() throws Exception {
    SparkManifest m = SparkManifestGenerator.generate(spec().build());
    JsonNode root = new TomlMapper().readTree(m.toml());
    Map<String, String> trusted = new HashMap<>();
    for (JsonNode tf : root.path("sgx").path("trusted_files")) {
      trusted.put(tf.path("uri").asText(), tf.path("sha256").asText());
    }
    for (Map.Entry<String, Path> jar : jarTargets.entrySet()) {
      String uri = "file:" + jarsDir.toAbsolutePath().resolve(jar.getKey());
      assertEquals(sha256(jar.getValue()), trusted.get(uri), uri);
    }
    assertEquals(sha256(appJar), trusted.get("file:" + appJar.toAbsolutePath()));
    Path javaBin =
        Paths.get(System.getProperty("java.home")).toAbsolutePath().normalize().resolve("bin/java");
    assertEquals(sha256(javaBin), trusted.get("file:" + javaBin));
    assertEquals(m.trustedFiles().size(), trusted.size());

    GramineSgxSettings s = GramineSgxSettings.fromManifest(m.toml());
    assertEquals(1, Long.bitCount(s.enclaveSize()));
    assertEquals(16L << 30, s.enclaveSize());
    assertEquals(128 + 16 * 4, s.maxThreads());
    assertTrue(s.useExinfo());
    assertEquals("dcap", s.remoteAttestation());
    assertFalse(s.debug());
    assertEquals(3, s.isvProdId());
  }

  @Test
  void commandLineIsFixedAndEnvIsAllowListed() throws Exception {
    SparkManifest m =
        SparkManifestGenerator.generate(spec().addArg("--executor-id").addArg("1").build());
    JsonNode root = new TomlMapper().readTree(m.toml());
    JsonNode loader = root.path("loader");
    List<String> argv = new ArrayList<>();
    loader.path("argv").forEach(n -> argv.add(n.asText()));
    assertEquals(m.argv(), argv);
    assertTrue(argv.contains("-Xmx10g"), argv.toString());
    assertEquals(
        "org.apache.spark.executor.CoarseGrainedExecutorBackend", argv.get(argv.size() - 3));
    String text = new String(m.toml(), StandardCharsets.UTF_8);
    assertFalse(text.contains("insecure__"), "no insecure__ options");
    assertFalse(text.contains("allowed_files"), "nothing unmeasured");
    List<String> passthrough = new ArrayList<>();
    loader
        .path("env")
        .fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().isObject()) {
                assertTrue(e.getValue().path("passthrough").asBoolean());
                passthrough.add(e.getKey());
              }
            });
    assertEquals(List.of("SPARK_EXECUTOR_ID"), passthrough);
    assertEquals("spark", loader.path("env").path("SPARK_USER").asText());
    JsonNode tmpMount = null;
    for (JsonNode mount : root.path("fs").path("mounts")) {
      if (mount.path("path").asText().equals("/tmp")) {
        tmpMount = mount;
      }
    }
    assertNotNull(tmpMount);
    assertEquals("encrypted", tmpMount.path("type").asText());
    assertEquals("_sgx_mrenclave", tmpMount.path("key_name").asText());
  }

  @Test
  void renderingIsDeterministicAndMeasurable() throws Exception {
    SparkManifest a = SparkManifestGenerator.generate(spec().build());
    SparkManifest b = SparkManifestGenerator.generate(spec().build());
    assertArrayEquals(a.toml(), b.toml());

    GramineMeasurement m =
        GramineMeasurer.measure(a.toml(), TestVectors.read("sigstruct/gramine-v1.9-a/libpal.so"));
    assertEquals(16L << 30, m.settings().enclaveSize());
    SigStruct sig =
        GramineSigner.sign(
            m,
            LocalDate.of(2026, 1, 1),
            EnclaveKeyPem.readPrivateKey(
                TestVectors.read("sigstruct/gramine-v1.9-a/enclave-key.pem")));
    assertTrue(sig.signatureValid());
    assertFalse(sig.debug());
    assertEquals(3, sig.isvProdId());
    assertArrayEquals(m.mrEnclave(), sig.enclaveHash());
  }

  @Test
  void extraTrustedTreesAreHashedMountedAndOnTheLibraryPath() throws Exception {
    Path sys = Files.createDirectories(tmp.resolve("syslib/sub"));
    Files.writeString(sys.resolve("libz.so.1"), "zlib stand-in");
    Path tree = tmp.resolve("syslib").toAbsolutePath();
    SparkManifest m = SparkManifestGenerator.generate(spec().addTrustedTree(tree).build());
    JsonNode root = new TomlMapper().readTree(m.toml());
    assertTrue(
        root.path("loader").path("env").path("LD_LIBRARY_PATH").asText().endsWith(":" + tree));
    assertTrue(
        m.trustedFiles()
            .contains(
                new TrustedFile(
                    "file:" + tree.resolve("sub/libz.so.1"), sha256(sys.resolve("libz.so.1")))));
    boolean mounted = false;
    for (JsonNode mount : root.path("fs").path("mounts")) {
      mounted |= mount.path("path").asText().equals(tree.toString());
    }
    assertTrue(mounted);
  }

  @Test
  void tmpfsMount() throws Exception {
    SparkManifest m =
        SparkManifestGenerator.generate(spec().tmpMount(SparkManifestSpec.TmpMount.TMPFS).build());
    assertTrue(
        new String(m.toml(), StandardCharsets.UTF_8)
            .contains("[[fs.mounts]]\ntype = \"tmpfs\"\npath = \"/tmp\"\n"));
  }

  @Test
  void everyAllowListedNamePassesThrough() throws Exception {
    SparkManifestSpec.Builder b = spec();
    SparkManifestSpec.PASSTHROUGH_ALLOW_LIST.forEach(b::passthroughEnv);
    JsonNode env =
        new TomlMapper()
            .readTree(SparkManifestGenerator.generate(b.build()).toml())
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
    assertEquals(List.copyOf(SparkManifestSpec.PASSTHROUGH_ALLOW_LIST), passthrough);
    assertTrue(
        passthrough.containsAll(
            List.of(
                "SPARK_EXECUTOR_ID",
                "SPARK_EXECUTOR_POD_IP",
                "SPARK_DRIVER_URL",
                "SPARK_APPLICATION_ID",
                "SPARK_LOCAL_IP")),
        passthrough.toString());
  }

  /**
   * Anything off the allow-list is refused, above all what changes code, loader or allocator
   * behaviour.
   */
  @Test
  void namesOffTheAllowListCannotPassThrough() {
    for (String name :
        List.of(
            "LD_PRELOAD",
            "LD_LIBRARY_PATH",
            "LD_AUDIT",
            "LD_BIND_NOW",
            "GLIBC_TUNABLES",
            "MALLOC_ARENA_MAX",
            "JAVA_TOOL_OPTIONS",
            "_JAVA_OPTIONS",
            "JDK_JAVA_OPTIONS",
            "JAVA_HOME",
            "CLASSPATH",
            "SPARK_CLASSPATH",
            "SPARK_DIST_CLASSPATH",
            "SPARK_JAVA_OPT_0",
            "SPARK_CONF_DIR",
            "SPARK_LOCAL_DIRS",
            "HADOOP_CONF_DIR",
            "PYTHONPATH",
            "PATH",
            "FOO",
            "spark_executor_id")) {
      assertFalse(SparkManifestSpec.PASSTHROUGH_ALLOW_LIST.contains(name), name);
      GramineManifestException e =
          assertThrows(
              GramineManifestException.class,
              () -> SparkManifestGenerator.generate(spec().passthroughEnv(name).build()),
              name);
      assertTrue(
          e.getMessage().contains("loader.env." + name + " cannot pass through"), e.getMessage());
      assertTrue(e.getMessage().contains("not on the allow-list"), e.getMessage());
    }
  }

  @Test
  void unsafeSpecsAreRejected() {
    assertRejected(spec().passthroughEnv("BAD-NAME"), "not a valid variable name");
    assertRejected(spec().env("SPARK_EXECUTOR_ID", "1"), "both fixed and passed through");
    assertRejected(spec().addJvmOption("-Xmx64g"), "heap size");
    assertRejected(spec().enclaveSize(3L << 30), "power of two");
    assertRejected(spec().enclaveSize(8L << 30), "does not hold a heap");
    assertRejected(spec().isvSvn(70000), "sgx.isvsvn");
    assertRejected(spec().jdkHome(tmp), "bin/java");
    assertRejected(spec().addDataDir(Paths.get("/tmp")), "/tmp itself");
  }

  /**
   * A directory under /tmp (CI workspaces live there) is mounted after the enclave's own /tmp, so
   * it is not shadowed by it; data directories are the only allowed (unmeasured) files.
   */
  @Test
  void hostDirectoriesUnderTmpComeAfterTheTmpMountAndDataDirsAreAllowedFiles() throws Exception {
    Path data = realTmp.resolve("data");
    SparkManifest m =
        SparkManifestGenerator.generate(spec().appJar(tmpAppJar).addDataDir(data).build());
    JsonNode root = new TomlMapper().readTree(m.toml());
    List<String> paths = new ArrayList<>();
    root.path("fs").path("mounts").forEach(n -> paths.add(n.path("path").asText()));
    assertEquals("/lib", paths.get(0));
    assertEquals("/tmp", paths.get(1));
    assertTrue(paths.indexOf(tmpAppJar.getParent().toString()) > 1, paths.toString());
    assertTrue(paths.contains(data.toString()), paths.toString());
    JsonNode allowed = root.path("sgx").path("allowed_files");
    assertEquals(1, allowed.size());
    assertEquals("file:" + data + "/", allowed.get(0).asText());
  }

  @TempDir static Path realTmp;
  static Path tmpAppJar;

  @BeforeAll
  static void appJarUnderTmp() throws Exception {
    tmpAppJar = Files.write(realTmp.resolve("app.jar"), new byte[] {1});
  }

  private static void assertRejected(SparkManifestSpec.Builder b, String part) {
    GramineManifestException e =
        assertThrows(
            GramineManifestException.class, () -> SparkManifestGenerator.generate(b.build()));
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }

  @Test
  void sizing() {
    assertEquals(16L << 30, EnclaveSizing.enclaveSize(10L << 30));
    assertEquals(4L << 30, EnclaveSizing.enclaveSize(1L << 30));
    assertEquals(2L << 30, EnclaveSizing.enclaveSize(256L << 20));
    assertEquals(64L << 30, EnclaveSizing.enclaveSize(32L << 30));
    assertThrows(IllegalArgumentException.class, () -> EnclaveSizing.enclaveSize(0));
    assertThrows(IllegalArgumentException.class, () -> EnclaveSizing.enclaveSize(1L << 40));
    assertEquals(144, EnclaveSizing.maxThreads(1));
  }

  private static String sha256(Path p) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
  }
}
