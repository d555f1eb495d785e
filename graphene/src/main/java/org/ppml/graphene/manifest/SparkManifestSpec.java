package org.ppml.graphene.manifest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a Gramine manifest for a Spark JVM is made from: the JDK, Spark's jars, the application jar,
 * the JVM's heap and cores, the ISV identity, and the fixed command line.
 *
 * <p>Build with {@link #builder()}; {@link SparkManifestGenerator} renders it.
 */
public final class SparkManifestSpec {

  /** How {@code /tmp} (Spark's local dirs, spill and shuffle files) is mounted. */
  public enum TmpMount {
    /** Encrypted files on the host, keyed to this enclave's MRENCLAVE. */
    ENCRYPTED,
    /** In enclave memory; nothing reaches the host, but it counts against the enclave size. */
    TMPFS
  }

  /**
   * The only environment variables the host may pass into the enclave: the per-pod names and
   * addresses Spark on Kubernetes gives an executor. None of them chooses code, a class path, a
   * loader or allocator setting, a configuration file or where data is written, so a hostile host
   * setting them can misdirect the executor on the network (which it controls anyway; Spark's own
   * authentication and TLS must hold there) but cannot change what the measured enclave runs.
   * Everything else is refused, notably {@code LD_*}, {@code GLIBC_TUNABLES}, {@code MALLOC_*},
   * {@code JAVA_TOOL_OPTIONS}, {@code _JAVA_OPTIONS}, {@code JDK_JAVA_OPTIONS}, {@code CLASSPATH},
   * {@code SPARK_CLASSPATH}, {@code SPARK_JAVA_OPT_*}, {@code SPARK_CONF_DIR}, {@code
   * SPARK_LOCAL_DIRS} and {@code PYTHONPATH}. docs/enclave-signing.md lists the same names with the
   * reason for each.
   */
  public static final Set<String> PASSTHROUGH_ALLOW_LIST =
      Collections.unmodifiableSortedSet(
          new TreeSet<>(
              List.of(
                  // Identifiers, for logs, metrics and the driver's bookkeeping.
                  "SPARK_APPLICATION_ID",
                  "SPARK_EXECUTOR_ID",
                  "SPARK_EXECUTOR_POD_NAME",
                  "SPARK_RESOURCE_PROFILE_ID",
                  // Informational only: the heap and processor count are fixed in loader.argv.
                  "SPARK_EXECUTOR_CORES",
                  "SPARK_EXECUTOR_MEMORY",
                  // Network addresses: which interface to bind and advertise, and where the driver
                  // is.
                  "SPARK_DRIVER_URL",
                  "SPARK_EXECUTOR_POD_IP",
                  "SPARK_LOCAL_HOSTNAME",
                  "SPARK_LOCAL_IP",
                  "SPARK_PUBLIC_DNS")));

  final Path jdkHome;
  final Path sparkJars;
  final Path appJar;
  final List<Path> extraJars;
  final List<Path> extraTrustedTrees;
  final List<Path> dataDirs;
  final Map<String, Path> filesAt;
  final Path libos;
  final Path runtimeDir;
  final long heapBytes;
  final int cores;
  final Long enclaveSizeOverride;
  final Integer maxThreadsOverride;
  final int isvProdId;
  final int isvSvn;
  final boolean debug;
  final boolean edmm;
  final String logLevel;
  final String mainClass;
  final List<String> jvmOptions;
  final List<String> args;
  final Map<String, String> env;
  final Set<String> passthroughEnv;
  final TmpMount tmpMount;
  final String encryptedTmpHostDir;

  private SparkManifestSpec(Builder b) {
    this.jdkHome = Objects.requireNonNull(b.jdkHome, "jdkHome");
    this.sparkJars = Objects.requireNonNull(b.sparkJars, "sparkJars");
    this.appJar = Objects.requireNonNull(b.appJar, "appJar");
    this.libos = Objects.requireNonNull(b.libos, "libos (Gramine's libsysdb.so)");
    this.runtimeDir = Objects.requireNonNull(b.runtimeDir, "runtimeDir (Gramine's runtime glibc)");
    this.mainClass = Objects.requireNonNull(b.mainClass, "mainClass");
    this.extraJars = List.copyOf(b.extraJars);
    this.extraTrustedTrees = List.copyOf(b.extraTrustedTrees);
    this.dataDirs = List.copyOf(b.dataDirs);
    this.filesAt = Collections.unmodifiableMap(new java.util.TreeMap<>(b.filesAt));
    this.heapBytes = b.heapBytes;
    this.cores = b.cores;
    this.enclaveSizeOverride = b.enclaveSizeOverride;
    this.maxThreadsOverride = b.maxThreadsOverride;
    this.isvProdId = b.isvProdId;
    this.isvSvn = b.isvSvn;
    this.debug = b.debug;
    this.edmm = b.edmm;
    this.logLevel = b.logLevel;
    this.jvmOptions = List.copyOf(b.jvmOptions);
    this.args = List.copyOf(b.args);
    this.env = Map.copyOf(b.env);
    // Sorted, not Set.copyOf: its iteration order changes from one JVM to the next, and the
    // manifest bytes (so MRENCLAVE) must not.
    this.passthroughEnv = Collections.unmodifiableSortedSet(new TreeSet<>(b.passthroughEnv));
    this.tmpMount = b.tmpMount;
    this.encryptedTmpHostDir = b.encryptedTmpHostDir;
    if (heapBytes <= 0) {
      throw new IllegalArgumentException("heap size is required");
    }
    if (cores < 1) {
      throw new IllegalArgumentException("executor cores must be at least 1");
    }
  }

  /**
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builder for {@link SparkManifestSpec}. */
  public static final class Builder {
    private Path jdkHome;
    private Path sparkJars;
    private Path appJar;
    private final List<Path> extraJars = new ArrayList<>();
    private final List<Path> extraTrustedTrees = new ArrayList<>();
    private final List<Path> dataDirs = new ArrayList<>();
    private final Map<String, Path> filesAt = new LinkedHashMap<>();
    private Path libos;
    private Path runtimeDir;
    private long heapBytes;
    private int cores = 1;
    private Long enclaveSizeOverride;
    private Integer maxThreadsOverride;
    private int isvProdId;
    private int isvSvn;
    private boolean debug;
    private boolean edmm;
    private String logLevel = "error";
    private String mainClass = "org.apache.spark.executor.CoarseGrainedExecutorBackend";
    private final List<String> jvmOptions = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Set<String> passthroughEnv = new TreeSet<>();
    private TmpMount tmpMount = TmpMount.ENCRYPTED;
    private String encryptedTmpHostDir = "/tmp/ppml-enclave-tmp/";

    private Builder() {}

    /**
     * @param jdkHome the JDK (or JRE) directory; every file under it is trusted
     * @return this builder
     */
    public Builder jdkHome(Path jdkHome) {
      this.jdkHome = jdkHome;
      return this;
    }

    /**
     * @param sparkJars Spark's {@code jars/} directory; every jar in it is trusted
     * @return this builder
     */
    public Builder sparkJars(Path sparkJars) {
      this.sparkJars = sparkJars;
      return this;
    }

    /**
     * @param appJar the user's application jar
     * @return this builder
     */
    public Builder appJar(Path appJar) {
      this.appJar = appJar;
      return this;
    }

    /**
     * @param jar another jar to trust and put on the class path (e.g. ppml-spark)
     * @return this builder
     */
    public Builder addJar(Path jar) {
      this.extraJars.add(jar);
      return this;
    }

    /**
     * @param dir a directory whose files are all trusted (e.g. system libraries the JDK loads)
     * @return this builder
     */
    public Builder addTrustedTree(Path dir) {
      this.extraTrustedTrees.add(dir);
      return this;
    }

    /**
     * @param dir a directory of PPML-encrypted data the job reads and writes: mounted and listed in
     *     {@code sgx.allowed_files}, so not measured (the PPML format authenticates every byte)
     * @return this builder
     */
    public Builder addDataDir(Path dir) {
      this.dataDirs.add(dir);
      return this;
    }

    /**
     * @param enclavePath where the enclave sees the file, e.g. {@code /etc/passwd}
     * @param hostFile the host file, trusted with its hash and mounted there (the JVM's user lookup
     *     needs a passwd entry for the enclave's uid, which must not come from the host)
     * @return this builder
     */
    public Builder addFileAt(String enclavePath, Path hostFile) {
      this.filesAt.put(enclavePath, hostFile);
      return this;
    }

    /**
     * @param libos Gramine's LibOS, {@code libsysdb.so} (the loader entrypoint)
     * @return this builder
     */
    public Builder libos(Path libos) {
      this.libos = libos;
      return this;
    }

    /**
     * @param runtimeDir Gramine's runtime directory (its patched glibc), mounted at /lib
     * @return this builder
     */
    public Builder runtimeDir(Path runtimeDir) {
      this.runtimeDir = runtimeDir;
      return this;
    }

    /**
     * @param heapBytes the JVM heap, {@code -Xmx}
     * @return this builder
     */
    public Builder heapBytes(long heapBytes) {
      this.heapBytes = heapBytes;
      return this;
    }

    /**
     * @param cores executor cores
     * @return this builder
     */
    public Builder cores(int cores) {
      this.cores = cores;
      return this;
    }

    /**
     * @param size an explicit {@code sgx.enclave_size} instead of the one derived from the heap
     * @return this builder
     */
    public Builder enclaveSize(long size) {
      this.enclaveSizeOverride = size;
      return this;
    }

    /**
     * @param maxThreads an explicit {@code sgx.max_threads} instead of the one derived from cores
     * @return this builder
     */
    public Builder maxThreads(int maxThreads) {
      this.maxThreadsOverride = maxThreads;
      return this;
    }

    /**
     * @param isvProdId {@code sgx.isvprodid}
     * @return this builder
     */
    public Builder isvProdId(int isvProdId) {
      this.isvProdId = isvProdId;
      return this;
    }

    /**
     * @param isvSvn {@code sgx.isvsvn}
     * @return this builder
     */
    public Builder isvSvn(int isvSvn) {
      this.isvSvn = isvSvn;
      return this;
    }

    /**
     * @param debug {@code sgx.debug}: a debug enclave, whose memory a debugger can read
     * @return this builder
     */
    public Builder debug(boolean debug) {
      this.debug = debug;
      return this;
    }

    /**
     * @param edmm {@code sgx.edmm_enable}: SGX2 dynamic memory (the enclave size then only reserves
     *     address space)
     * @return this builder
     */
    public Builder edmm(boolean edmm) {
      this.edmm = edmm;
      return this;
    }

    /**
     * @param logLevel {@code loader.log_level}: none, error (default), warning, debug, trace, all
     * @return this builder
     */
    public Builder logLevel(String logLevel) {
      this.logLevel = logLevel;
      return this;
    }

    /**
     * @param mainClass the JVM main class (default: Spark's executor backend)
     * @return this builder
     */
    public Builder mainClass(String mainClass) {
      this.mainClass = mainClass;
      return this;
    }

    /**
     * @param option a JVM option placed before the main class, fixed in the manifest
     * @return this builder
     */
    public Builder addJvmOption(String option) {
      this.jvmOptions.add(option);
      return this;
    }

    /**
     * @param arg an argument after the main class, fixed in the manifest
     * @return this builder
     */
    public Builder addArg(String arg) {
      this.args.add(arg);
      return this;
    }

    /**
     * @param name an environment variable fixed in the manifest
     * @param value its value
     * @return this builder
     */
    public Builder env(String name, String value) {
      this.env.put(name, value);
      return this;
    }

    /**
     * @param name an environment variable the host may pass through; it must be on {@link
     *     #PASSTHROUGH_ALLOW_LIST}, which the generator checks
     * @return this builder
     */
    public Builder passthroughEnv(String name) {
      this.passthroughEnv.add(name);
      return this;
    }

    /**
     * @param mount how {@code /tmp} is mounted
     * @return this builder
     */
    public Builder tmpMount(TmpMount mount) {
      this.tmpMount = mount;
      return this;
    }

    /**
     * @param hostDir the host directory behind an encrypted {@code /tmp}, ending in "/"
     * @return this builder
     */
    public Builder encryptedTmpHostDir(String hostDir) {
      this.encryptedTmpHostDir = hostDir;
      return this;
    }

    /**
     * @return the spec
     */
    public SparkManifestSpec build() {
      return new SparkManifestSpec(this);
    }
  }
}
