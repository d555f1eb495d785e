package org.ppml.cli.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.ppml.cli.gramine.EnclaveClassPath;
import org.ppml.cli.gramine.GramineDirectRun;
import org.ppml.cli.gramine.JdkSystemLibraries;
import org.ppml.graphene.attestation.GramineAttestationDevice;
import org.ppml.graphene.install.GramineInstallation;
import org.ppml.graphene.manifest.GramineManifestException;
import org.ppml.graphene.manifest.SparkManifest;
import org.ppml.graphene.manifest.SparkManifestGenerator;
import org.ppml.graphene.manifest.SparkManifestSpec;
import org.ppml.spark.enclave.ForkFreeLocalFileSystem;

/**
 * The quickstart's Spark step inside Gramine ({@code --runtime gramine-direct}): {@link
 * QuickstartSparkMain} in its own JVM under {@code gramine-direct}, with the project's own manifest
 * (every jar and the JDK trusted, strict file check, argv fixed, no host environment, no child
 * processes). The broker stays outside, in the quickstart's JVM, reached over loopback TLS with the
 * pin fixed in the manifest; Stage 1 evidence is simulated, since gramine-direct has no SGX.
 */
final class GramineQuickstartSpark implements QuickstartSpark {
  /** The JVM's heap inside Gramine; the quickstart's data is small. */
  private static final long HEAP = 1L << 30;

  /** The first JVM start under Gramine hashes every trusted file it opens; allow for it. */
  private static final long RESULT_WAIT_SECONDS = 900;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final GramineInstallation gramine;
  private final Map<String, String> conf;
  private final Path dir;
  private final List<Path> dataDirs;
  private final Consumer<String> log;
  private GramineDirectRun run;
  private Path exchange;
  private JsonNode result;

  /**
   * @param gramine the installation
   * @param conf the Spark/PPML settings (fixed in the manifest's argv)
   * @param dir where to build the manifest and class path
   * @param dataDirs directories the job reads or writes (allowed, unmeasured files)
   * @param log progress notes
   */
  GramineQuickstartSpark(
      GramineInstallation gramine,
      Map<String, String> conf,
      Path dir,
      List<Path> dataDirs,
      Consumer<String> log) {
    this.gramine = gramine;
    this.conf = conf;
    this.dir = dir;
    this.dataDirs = dataDirs;
    this.log = log;
  }

  @Override
  public QuickstartSparkJob.Result run(
      Path plain, Path encrypted, Path results, Consumer<String> progress) throws Exception {
    exchange = Files.createDirectories(dir.resolve("exchange"));
    Files.createDirectories(results);
    EnclaveClassPath cp =
        EnclaveClassPath.stage(EnclaveClassPath.ofThisJvm(), dir.resolve("classpath"));
    Path syslib = JdkSystemLibraries.stage(dir.resolve("syslib"));
    // Gramine runs the JVM as uid 0; Hadoop's login needs a name for it, fixed here rather than
    // read from the host's password database.
    Path etc = Files.createDirectories(dir.resolve("etc"));
    Files.writeString(etc.resolve("passwd"), "ppml:x:0:0:ppml:/tmp:/usr/sbin/nologin\n");
    Files.writeString(etc.resolve("group"), "ppml:x:0:\n");
    SparkManifestSpec.Builder spec =
        SparkManifestSpec.builder()
            .jdkHome(Path.of(System.getProperty("java.home")))
            .sparkJars(cp.jarsDir())
            .appJar(cp.appJar())
            .addTrustedTree(syslib)
            .addFileAt("/etc/passwd", etc.resolve("passwd"))
            .addFileAt("/etc/group", etc.resolve("group"))
            .libos(gramine.libos())
            .runtimeDir(gramine.runtimeDir())
            .heapBytes(HEAP)
            .cores(2)
            // gramine-direct has no SGX sealing key for an encrypted /tmp (_sgx_mrenclave).
            .tmpMount(SparkManifestSpec.TmpMount.TMPFS)
            // Warnings include Gramine's report of any refused child process.
            .logLevel("warning")
            .mainClass(QuickstartSparkMain.class.getName())
            .env("SPARK_LOCAL_IP", "127.0.0.1")
            .env("SPARK_USER", "ppml")
            .env("HADOOP_USER_NAME", "ppml")
            .env("HOME", "/tmp");
    for (String opt : jvmOptions()) {
      spec.addJvmOption(opt);
    }
    for (Path d : dataDirs) {
      spec.addDataDir(d);
    }
    spec.addDataDir(exchange);
    Map<String, String> inside = new java.util.LinkedHashMap<>(conf);
    // Hadoop's own local file system runs chmod for every file it writes: a refused fork here.
    inside.put("spark.hadoop.fs.file.impl", ForkFreeLocalFileSystem.class.getName());
    for (Map.Entry<String, String> e : inside.entrySet()) {
      spec.addArg("--conf").addArg(e.getKey() + "=" + e.getValue());
    }
    spec.addArg("--plain").addArg(plain.toAbsolutePath().toString());
    spec.addArg("--encrypted").addArg(encrypted.toAbsolutePath().toString());
    spec.addArg("--results").addArg(results.toAbsolutePath().toString());
    spec.addArg("--exchange").addArg(exchange.toAbsolutePath().toString());
    SparkManifest manifest = generate(spec);
    Path manifestFile = dir.resolve("quickstart-spark.manifest");
    Files.write(manifestFile, manifest.toml());
    log.accept(
        "gramine-direct: "
            + manifestFile
            + " ("
            + manifest.trustedFiles().size()
            + " trusted files, strict file check, no child processes)");

    run =
        GramineDirectRun.start(
            gramine,
            manifestFile,
            dir.resolve("gramine.log"),
            line -> {
              if (line.startsWith(QuickstartSparkMain.NOTE)) {
                progress.accept(line.substring(QuickstartSparkMain.NOTE.length()));
              }
            });
    result = await(exchange.resolve(QuickstartSparkMain.RESULT), RESULT_WAIT_SECONDS);
    String seen = result.path("enclaveRuntime").asText();
    if (!seen.equals(GramineAttestationDevice.Runtime.GRAMINE_DIRECT.name())) {
      throw new IOException(
          "the Spark step did not see gramine-direct's /dev/attestation: " + seen);
    }
    List<QuickstartSparkJob.QueryResult> queries = new ArrayList<>();
    for (JsonNode q : result.path("queries")) {
      queries.add(
          new QuickstartSparkJob.QueryResult(
              q.path("name").asText(),
              q.path("rows").asLong(),
              q.path("matchesPlaintext").asBoolean()));
    }
    return new QuickstartSparkJob.Result(
        queries,
        result.path("scanRatio").asDouble(),
        result.path("rowsProcessed").asLong(),
        result.path("resultReadBack").asBoolean(),
        result.path("encryptedScanSeconds").asDouble());
  }

  @Override
  public double train(Consumer<String> progress) {
    // Trained inside Gramine along with the queries; its notes were relayed then.
    return result.path("auc").asDouble();
  }

  @Override
  public String readAfterForgettingKeys(Path encrypted) throws Exception {
    Files.createFile(exchange.resolve(QuickstartSparkMain.GO_DENY));
    JsonNode denial = await(exchange.resolve(QuickstartSparkMain.DENIAL), 300);
    int exit = run.waitFor(120);
    if (exit != 0) {
      throw new IOException(
          "the Spark step under gramine-direct exited with " + exit + ":\n" + run.logTail(20));
    }
    // None can have run (sys.disallow_subprocesses); what was tried falls back in process:
    // Hadoop's setsid probe, Spark's getconf PAGESIZE and rm -rf (docs/enclave-signing.md).
    log.accept(
        "child processes inside Gramine: none ran; "
            + run.refusedSubprocesses()
            + " attempts refused by sys.disallow_subprocesses (Hadoop/Spark probes with in-process fallbacks)");
    return denial.path("reason").isNull() ? null : denial.path("reason").asText();
  }

  private JsonNode await(Path file, long seconds) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (!Files.exists(file)) {
      if (!run.isAlive()) {
        throw new IOException(
            "the Spark step under gramine-direct stopped (exit "
                + run.waitFor(1)
                + ") before writing "
                + file.getFileName()
                + ":\n"
                + run.logTail(20));
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(
            "no " + file.getFileName() + " from gramine-direct in " + seconds + " s");
      }
      Thread.sleep(100);
    }
    return JSON.readTree(file.toFile());
  }

  private static SparkManifest generate(SparkManifestSpec.Builder spec) throws IOException {
    try {
      return SparkManifestGenerator.generate(spec.build());
    } catch (GramineManifestException e) {
      throw new IOException("the quickstart's Gramine manifest: " + e.getMessage(), e);
    }
  }

  /**
   * The module and reflection options Spark needs on Java 17, as this JVM got them (from
   * ppml-cli/target/jvm-options or the test's argLine); nothing else crosses into the manifest.
   */
  private static List<String> jvmOptions() {
    List<String> opts = new ArrayList<>();
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens")
          || a.startsWith("--add-exports")
          || a.equals("-XX:+IgnoreUnrecognizedVMOptions")
          || a.startsWith("-Djdk.reflect.useDirectMethodHandle")) {
        opts.add(a);
      }
    }
    // No hsperfdata file in /tmp: Gramine has no flock() for it unless enabled, and nothing
    // inside reads it.
    opts.add("-XX:-UsePerfData");
    opts.add("-Duser.name=ppml");
    opts.add("-Duser.home=/tmp");
    opts.add("-Djava.io.tmpdir=/tmp");
    return opts;
  }

  @Override
  public void close() {
    if (run != null) {
      run.close();
    }
  }
}
