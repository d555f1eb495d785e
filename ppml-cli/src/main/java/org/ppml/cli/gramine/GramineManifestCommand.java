package org.ppml.cli.gramine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.ppml.cli.CommandOutput;
import org.ppml.cli.ErrorReporter;
import org.ppml.cli.ExitCodes;
import org.ppml.cli.OutputFile;
import org.ppml.cli.OutputOptions;
import org.ppml.cli.enclave.EnclaveKeyFile;
import org.ppml.cli.enclave.GramineEnclaveFiles;
import org.ppml.cli.enclave.SigStructView;
import org.ppml.cli.enclave.SigningDateOption;
import org.ppml.enclave.sgx.SigStruct;
import org.ppml.graphene.layout.GramineMeasurement;
import org.ppml.graphene.manifest.GramineManifestException;
import org.ppml.graphene.manifest.SparkManifest;
import org.ppml.graphene.manifest.SparkManifestGenerator;
import org.ppml.graphene.manifest.SparkManifestSpec;
import org.ppml.graphene.sign.GramineSigner;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code ppml gramine manifest}: the manifest for a Spark JVM in a Gramine enclave, and with {@code
 * --libpal} and {@code --key} the whole signed enclave identity: {@code X.manifest.sgx}, {@code
 * X.sig} and the {@code policy.json} a key broker takes.
 *
 * <p>Every output is computed before the first is written, so a bad key or libpal leaves no half
 * set of files behind.
 */
@Command(
    name = "manifest",
    mixinStandardHelpOptions = true,
    description = {
      "Render a Gramine manifest for a Spark JVM: the JDK, Spark jars, extra jars and the app jar as hashed trusted files, a fixed argv, an env allow-list and a power-of-two enclave size.",
      "Writes OUT.manifest and OUT.manifest.sgx. With --libpal it also measures (MRENCLAVE); with --key it also signs (OUT.sig) and writes policy.json for the key broker."
    })
public final class GramineManifestCommand implements Callable<Integer> {
  @Mixin OutputOptions output;
  @Mixin SigningDateOption date;
  @Spec CommandSpec spec;

  @Option(
      names = "--jdk-home",
      required = true,
      paramLabel = "DIR",
      description = "The JDK (or JRE) the enclave runs; every file is trusted.")
  Path jdkHome;

  @Option(
      names = "--spark-jars",
      required = true,
      paramLabel = "DIR",
      description = "Spark's jars/ directory; every jar is trusted.")
  Path sparkJars;

  @Option(
      names = "--app-jar",
      required = true,
      paramLabel = "FILE",
      description = "The application jar.")
  Path appJar;

  @Option(
      names = "--extra-jars",
      paramLabel = "JAR|DIR",
      description =
          "More jars to trust and put on the class path (e.g. ppml-spark); a directory adds every jar in it. Repeatable.")
  List<Path> extraJars = new ArrayList<>();

  @Option(
      names = "--trusted-dir",
      paramLabel = "DIR",
      description =
          "A directory whose files are all trusted, e.g. system libraries the JDK links. Repeatable.")
  List<Path> trustedDirs = new ArrayList<>();

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "A directory of PPML-encrypted data the job reads and writes: mounted and listed in sgx.allowed_files (unmeasured; the PPML format authenticates it). Repeatable.")
  List<Path> dataDirs = new ArrayList<>();

  @Option(
      names = "--libos",
      paramLabel = "FILE",
      defaultValue = "/usr/lib/x86_64-linux-gnu/gramine/libsysdb.so",
      description = "Gramine's LibOS, libsysdb.so (default: ${DEFAULT-VALUE}).")
  Path libos;

  @Option(
      names = "--runtime-dir",
      paramLabel = "DIR",
      defaultValue = "/usr/lib/x86_64-linux-gnu/gramine/runtime/glibc",
      description = "Gramine's runtime glibc, mounted at /lib (default: ${DEFAULT-VALUE}).")
  Path runtimeDir;

  @Option(
      names = "--heap",
      required = true,
      paramLabel = "SIZE",
      converter = SizeConverter.class,
      description = "JVM heap (-Xmx), e.g. 8g; sizes the enclave.")
  Long heap;

  @Option(
      names = "--cores",
      defaultValue = "1",
      paramLabel = "N",
      description = "Executor cores (default 1); sizes sgx.max_threads.")
  int cores;

  @Option(
      names = "--enclave-size",
      paramLabel = "SIZE",
      converter = SizeConverter.class,
      description = "Override sgx.enclave_size (a power of two).")
  Long enclaveSize;

  @Option(names = "--max-threads", paramLabel = "N", description = "Override sgx.max_threads.")
  Integer maxThreads;

  @Option(
      names = "--isvprodid",
      defaultValue = "0",
      paramLabel = "N",
      description = "sgx.isvprodid (default 0).")
  int isvProdId;

  @Option(
      names = "--isvsvn",
      defaultValue = "0",
      paramLabel = "N",
      description = "sgx.isvsvn (default 0).")
  int isvSvn;

  @Option(
      names = "--debug",
      description =
          "sgx.debug: a debug enclave, whose memory a debugger can read. Never for production data.")
  boolean debug;

  @Option(
      names = "--edmm",
      description =
          "sgx.edmm_enable: SGX2 dynamic memory; the enclave size then only reserves address space.")
  boolean edmm;

  @Option(
      names = "--log-level",
      defaultValue = "error",
      paramLabel = "LEVEL",
      description =
          "loader.log_level: none, error (default), warning, debug, trace or all. Part of MRENCLAVE.")
  String logLevel;

  @Option(
      names = "--main-class",
      paramLabel = "CLASS",
      description = "JVM main class (default: Spark's CoarseGrainedExecutorBackend).")
  String mainClass;

  @Option(
      names = "--jvm-option",
      paramLabel = "OPT",
      description =
          "A JVM option fixed in loader.argv, e.g. --jvm-option=-XX:+UseG1GC. Repeatable.")
  List<String> jvmOptions = new ArrayList<>();

  @Option(
      names = "--arg",
      paramLabel = "ARG",
      description = "An argument after the main class, fixed in loader.argv. Repeatable.")
  List<String> args = new ArrayList<>();

  @Option(
      names = "--env",
      paramLabel = "NAME=VALUE",
      description = "An environment variable fixed in the manifest. Repeatable.")
  Map<String, String> env = new LinkedHashMap<>();

  @Option(
      names = "--passthrough-env",
      paramLabel = "NAME",
      description =
          "An environment variable the host may set at launch; only Spark's per-pod ids and addresses on the fixed allow-list (docs/enclave-signing.md), e.g. SPARK_EXECUTOR_ID, SPARK_DRIVER_URL. Repeatable.")
  List<String> passthroughEnv = new ArrayList<>();

  @Option(
      names = "--tmp",
      defaultValue = "encrypted",
      paramLabel = "encrypted|tmpfs",
      converter = TmpMountConverter.class,
      description = "How /tmp (spill, shuffle) is mounted (default encrypted, keyed to MRENCLAVE).")
  SparkManifestSpec.TmpMount tmp;

  @Option(
      names = "--libpal",
      paramLabel = "libpal.so",
      description = "Gramine's SGX PAL: measure the enclave (MRENCLAVE).")
  Path libpal;

  @Option(
      names = "--key",
      paramLabel = "PEM",
      description =
          "Enclave private key: also sign (OUT.sig) and write policy.json. Needs --libpal.")
  Path key;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "OUT",
      description = "Output prefix: OUT.manifest, OUT.manifest.sgx, OUT.sig.")
  Path out;

  @Option(
      names = "--policy-out",
      paramLabel = "FILE",
      description = "Where to write the key-release policy (default: policy.json beside OUT).")
  Path policyOut;

  @Override
  public Integer call() throws Exception {
    CommandOutput result =
        new CommandOutput(output.json(), spec.commandLine().getOut(), spec.commandLine().getErr());
    if (key != null && libpal == null) {
      throw new ErrorReporter.UsageError(
          "--key needs --libpal: the SIGSTRUCT signs the measured MRENCLAVE");
    }
    requireExists("--jdk-home", jdkHome);
    requireExists("--spark-jars", sparkJars);
    requireExists("--app-jar", appJar);
    requireExists("--libos", libos);
    requireExists("--runtime-dir", runtimeDir);
    EnclaveKeyFile signingKey = key == null ? null : EnclaveKeyFile.readPrivate(key);

    SparkManifest manifest = generate();
    byte[] toml = manifest.toml();
    Path manifestFile = sibling(".manifest");
    Path manifestSgxFile = sibling(".manifest.sgx");
    GramineMeasurement measurement =
        libpal == null
            ? null
            : GramineEnclaveFiles.measure(toml, manifestSgxFile.toString(), libpal);
    SigStruct signed =
        signingKey == null ? null : signingKey.sign(GramineSigner.body(measurement, date.date()));

    // Every trusted file already carries its hash, so the rendered manifest is also what is
    // measured.
    OutputFile.write(manifestFile, toml);
    OutputFile.write(manifestSgxFile, toml);
    Path sigFile = sibling(".sig");
    Path policyFile = policyOut != null ? policyOut : out.resolveSibling("policy.json");
    if (signed != null) {
      OutputFile.write(sigFile, signed.toBytes());
      OutputFile.write(
          policyFile,
          (SigStructView.policy(signed).toPrettyString() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    ObjectNode json = CommandOutput.object();
    json.put("manifest", manifestFile.toString());
    json.put("manifestSgx", manifestSgxFile.toString());
    json.put("enclaveSize", manifest.enclaveSize());
    json.put("maxThreads", manifest.maxThreads());
    json.put("trustedFiles", manifest.trustedFiles().size());
    json.put("debug", debug);
    ArrayNode argv = json.putArray("argv");
    manifest.argv().forEach(argv::add);
    json.put("mrEnclave", measurement == null ? null : measurement.mrEnclaveHex());
    json.put("sig", signed == null ? null : sigFile.toString());
    json.put("mrSigner", signed == null ? null : signed.mrSigner().hex());
    json.put("policyFile", signed == null ? null : policyFile.toString());
    if (signed == null) {
      json.putNull("policy");
    } else {
      json.set("policy", SigStructView.policy(signed));
    }
    result.result(json);
    result.fields(json);
    if (signed != null) {
      SigStructView.warnIfSampleKey(signed, result);
    }
    if (debug) {
      result.note(
          "ppml: note: debug enclave: a debugger can read its memory; never give it production keys");
    }
    return ExitCodes.OK;
  }

  private SparkManifest generate() throws IOException, GramineManifestException {
    try {
      return SparkManifestGenerator.generate(spec());
    } catch (IllegalArgumentException e) {
      // The spec and the enclave sizing reject impossible heaps and core counts this way.
      throw new ErrorReporter.UsageError(e.getMessage());
    }
  }

  private SparkManifestSpec spec() throws IOException {
    SparkManifestSpec.Builder b =
        SparkManifestSpec.builder()
            .jdkHome(jdkHome)
            .sparkJars(sparkJars)
            .appJar(appJar)
            .libos(libos)
            .runtimeDir(runtimeDir)
            .heapBytes(heap)
            .cores(cores)
            .isvProdId(isvProdId)
            .isvSvn(isvSvn)
            .debug(debug)
            .edmm(edmm)
            .logLevel(logLevel)
            .tmpMount(tmp);
    for (Path jar : expandJars(extraJars)) {
      b.addJar(jar);
    }
    trustedDirs.forEach(b::addTrustedTree);
    dataDirs.forEach(b::addDataDir);
    if (enclaveSize != null) {
      b.enclaveSize(enclaveSize);
    }
    if (maxThreads != null) {
      b.maxThreads(maxThreads);
    }
    if (mainClass != null) {
      b.mainClass(mainClass);
    }
    jvmOptions.forEach(b::addJvmOption);
    args.forEach(b::addArg);
    env.forEach(b::env);
    passthroughEnv.forEach(b::passthroughEnv);
    return b.build();
  }

  /**
   * A directory given to --extra-jars stands for its jars, in name order so the manifest is
   * reproducible.
   */
  private static List<Path> expandJars(List<Path> given) throws IOException {
    List<Path> jars = new ArrayList<>();
    for (Path p : given) {
      if (!Files.isDirectory(p)) {
        jars.add(p);
        continue;
      }
      try (Stream<Path> entries = Files.list(p)) {
        entries
            .filter(e -> e.getFileName().toString().endsWith(".jar"))
            .sorted()
            .forEach(jars::add);
      }
    }
    return jars;
  }

  static final class TmpMountConverter implements ITypeConverter<SparkManifestSpec.TmpMount> {
    @Override
    public SparkManifestSpec.TmpMount convert(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "encrypted" -> SparkManifestSpec.TmpMount.ENCRYPTED;
        case "tmpfs" -> SparkManifestSpec.TmpMount.TMPFS;
        default ->
            throw new TypeConversionException("'" + value + "' is neither encrypted nor tmpfs");
      };
    }
  }

  /**
   * The Gramine paths default to a Debian/Ubuntu install, so say which option to give when they are
   * not there.
   */
  private static void requireExists(String option, Path path) {
    if (!Files.exists(path)) {
      throw new ErrorReporter.UsageError(option + " " + path + " does not exist");
    }
  }

  private Path sibling(String suffix) {
    return out.resolveSibling(out.getFileName() + suffix);
  }
}
