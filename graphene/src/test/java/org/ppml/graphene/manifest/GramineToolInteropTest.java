package org.ppml.graphene.manifest;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ppml.enclave.sgx.EnclaveKeyPem;
import org.ppml.enclave.sgx.SigStruct;
import org.ppml.graphene.TestVectors;
import org.ppml.graphene.install.GramineInstallation;
import org.ppml.graphene.install.RealGramine;
import org.ppml.graphene.layout.GramineMeasurement;
import org.ppml.graphene.layout.GramineMeasurer;
import org.ppml.graphene.sign.GramineSigner;

/**
 * The project's generated Spark manifests against Gramine's own tools (master ff71d7a,
 * "1.9post~UNRELEASED", with Debian 12's tomli 2.0.1 / tomli_w 1.0.0): {@code gramine-manifest}
 * renders them to the same bytes, {@code gramine-sgx-sign} writes the same {@code .manifest.sgx}
 * and a byte-identical {@code .sig}, and {@code gramine-sgx-sigstruct-view} shows the MRENCLAVE
 * this project computes.
 */
class GramineToolInteropTest {
  static final LocalDate DATE = LocalDate.of(2025, 6, 20);
  static GramineInstallation gramine;
  static Path dir;
  static Path jarsDir;
  static Path appJar;
  static Path key;

  @BeforeAll
  static void inputs() throws Exception {
    gramine = RealGramine.require();
    dir = Paths.get("target/gramine-interop").toAbsolutePath();
    if (dir.startsWith("/tmp")) {
      dir = Files.createTempDirectory(Paths.get("/var/tmp"), "ppml-gramine-interop");
    }
    delete(dir);
    jarsDir = Files.createDirectories(dir.resolve("jars"));
    int jars = 0;
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Paths.get(entry);
      if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
        Path link = jarsDir.resolve(p.getFileName());
        if (!Files.exists(link)) {
          Files.createSymbolicLink(link, p.toAbsolutePath());
          jars++;
        }
      }
    }
    assertTrue(jars >= 10, "expected the test class path to hold jars");
    appJar =
        Files.write(
            Files.createDirectories(dir.resolve("app")).resolve("app.jar"),
            new byte[] {'P', 'K', 3, 4});
    key = TestVectors.root().resolve("sigstruct/gramine-v1.9-a/enclave-key.pem").toAbsolutePath();
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (dir != null && dir.startsWith("/var/tmp")) {
      delete(dir);
    }
  }

  private static SparkManifestSpec.Builder spec() {
    return SparkManifestSpec.builder()
        .jdkHome(Paths.get(System.getProperty("java.home")))
        .sparkJars(jarsDir)
        .appJar(appJar)
        .libos(gramine.libos())
        .runtimeDir(gramine.runtimeDir());
  }

  /** Hundreds of trusted files (the JDK, every test jar), EDMM off, 16G, one passthrough name. */
  @Test
  void executorManifestWithManyTrustedFiles() throws Exception {
    check(
        "executor",
        spec()
            .heapBytes(10L << 30)
            .cores(4)
            .isvProdId(3)
            .isvSvn(5)
            .passthroughEnv("SPARK_EXECUTOR_ID")
            .env("SPARK_USER", "spark")
            .addArg("--executor-id")
            .addArg("1"));
  }

  /** EDMM on, an explicit 64G enclave, the whole allow-list passed through, tmpfs, debug. */
  @Test
  void edmmDebugTmpfsAndEveryPassthroughName() throws Exception {
    SparkManifestSpec.Builder b =
        spec()
            .heapBytes(4L << 30)
            .cores(2)
            .edmm(true)
            .enclaveSize(64L << 30)
            .maxThreads(256)
            .debug(true)
            .tmpMount(SparkManifestSpec.TmpMount.TMPFS)
            .logLevel("warning");
    SparkManifestSpec.PASSTHROUGH_ALLOW_LIST.forEach(b::passthroughEnv);
    check("edmm", b);
  }

  /**
   * A small enclave with extra jars, an extra trusted tree, and strings that need TOML escapes
   * (quotes, backslashes, a tab, a control character, non-ASCII) in argv and env.
   */
  @Test
  void extraJarsTreesAndEscapedStrings() throws Exception {
    Path extra = Files.createDirectories(dir.resolve("extra"));
    Path jarA = Files.write(extra.resolve("ppml-spark.jar"), new byte[] {1, 2, 3});
    Path jarB = Files.write(extra.resolve("with space.jar"), new byte[] {4, 5});
    Path tree = Files.createDirectories(dir.resolve("syslib/sub"));
    Files.writeString(tree.resolve("libz.so.1"), "zlib stand-in");
    check(
        "small",
        spec()
            .heapBytes(256L << 20)
            .cores(1)
            .isvProdId(65535)
            .isvSvn(1)
            .addJar(jarA)
            .addJar(jarB)
            .addTrustedTree(dir.resolve("syslib"))
            .mainClass("org.example.Main")
            .addJvmOption("-Dquote=\"q\" back\\slash\ttab")
            .addArg("ünïcödé ✓ \u0001")
            .env("WEIRD", "a=\"b\"\\c")
            .env("EMPTY", "")
            .passthroughEnv("SPARK_LOCAL_IP"));
  }

  private static void check(String name, SparkManifestSpec.Builder spec) throws Exception {
    SparkManifest m = SparkManifestGenerator.generate(spec.build());
    byte[] ours = m.toml();
    Path work = Files.createDirectories(dir.resolve(name));
    Files.write(work.resolve("ours.manifest"), ours);

    // gramine-manifest (a jinja template renderer + tomli/tomli_w) leaves it as it is.
    RealGramine.Run render =
        RealGramine.run(gramine, work, 120, "gramine-manifest", "ours.manifest", "tool.manifest");
    assertEquals(0, render.exit(), render.stderr());
    assertEquals(
        new String(ours, StandardCharsets.UTF_8),
        Files.readString(work.resolve("tool.manifest"), StandardCharsets.UTF_8));
    assertArrayEquals(ours, Files.readAllBytes(work.resolve("tool.manifest")));

    // gramine-sgx-sign writes the same .manifest.sgx and signs the same SIGSTRUCT.
    RealGramine.Run sign =
        RealGramine.run(
            gramine,
            work,
            600,
            "gramine-sgx-sign",
            "--manifest",
            "ours.manifest",
            "--output",
            "tool.manifest.sgx",
            "--sigfile",
            "tool.sig",
            "--key",
            key.toString(),
            "--date",
            DATE.toString(),
            "--libpal",
            gramine.sgxLibpal().toString());
    assertEquals(0, sign.exit(), sign.stderr());
    assertArrayEquals(ours, Files.readAllBytes(work.resolve("tool.manifest.sgx")));

    GramineMeasurement measured =
        GramineMeasurer.measure(ours, Files.readAllBytes(gramine.sgxLibpal()));
    SigStruct sig =
        GramineSigner.sign(measured, DATE, EnclaveKeyPem.readPrivateKey(Files.readAllBytes(key)));
    assertArrayEquals(Files.readAllBytes(work.resolve("tool.sig")), sig.toBytes());

    RealGramine.Run view =
        RealGramine.run(
            gramine, work, 60, "gramine-sgx-sigstruct-view", "--output-format", "json", "tool.sig");
    assertEquals(0, view.exit(), view.stderr());
    String mr = HexFormat.of().formatHex(measured.mrEnclave());
    assertTrue(view.stdout().contains("\"" + mr + "\""), view.stdout() + " lacks " + mr);
  }

  private static void delete(Path p) throws Exception {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
