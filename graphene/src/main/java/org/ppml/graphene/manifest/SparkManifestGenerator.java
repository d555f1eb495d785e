package org.ppml.graphene.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Renders a Gramine manifest for a JVM running Spark plus the user's application, stricter than
 * BigDL PPML's template:
 *
 * <ul>
 *   <li>the JDK, Spark's jars, extra jars and the application jar are all <b>trusted files</b> with
 *       their SHA-256, so the enclave refuses any other bytes for them (BigDL left them as allowed
 *       files, which are not measured);
 *   <li>the command line is fixed in {@code loader.argv}; there is no {@code
 *       insecure__use_cmdline_argv}, no {@code insecure__use_host_env}, and only names on a fixed
 *       allow-list of Spark's per-pod identifiers and addresses may pass through from the host
 *       ({@link SparkManifestSpec#PASSTHROUGH_ALLOW_LIST});
 *   <li>{@code sgx.enclave_size} is a power of two derived from the heap ({@link EnclaveSizing})
 *       and {@code sgx.max_threads} from the cores;
 *   <li>{@code sgx.use_exinfo = true}, {@code sgx.remote_attestation = "dcap"}, EDMM off unless
 *       asked for, {@code sys.disallow_subprocesses = true}, and {@code sgx.allowed_files} only for
 *       the data directories named in the spec (PPML ciphertext, authenticated by its own format);
 *   <li>{@code /tmp} (Spark's spill and shuffle files) is an encrypted mount keyed to MRENCLAVE, or
 *       tmpfs.
 * </ul>
 *
 * <p>The TOML is written in Gramine's own serialisation ({@link CanonicalManifest}), so {@code
 * gramine-manifest} and {@code gramine-sgx-sign} reproduce it byte for byte and measure the same
 * MRENCLAVE; it is read back before it is returned, and the same inputs always render the same
 * bytes.
 */
public final class SparkManifestGenerator {

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Path TMP = Path.of("/tmp");
  private static final List<String> LOG_LEVELS =
      List.of("none", "error", "warning", "debug", "trace", "all");

  /**
   * @param spec what to build the manifest from
   * @return the manifest
   * @throws IOException if an input file cannot be read
   * @throws GramineManifestException if the spec is invalid (env, sizes, ISV values)
   */
  public static SparkManifest generate(SparkManifestSpec spec)
      throws IOException, GramineManifestException {
    validate(spec);
    Path jdk = spec.jdkHome.toAbsolutePath().normalize();
    Path java = jdk.resolve("bin/java");
    if (!Files.isRegularFile(java)) {
      throw new GramineManifestException("JDK home " + jdk + " has no bin/java");
    }
    Path sparkJars = spec.sparkJars.toAbsolutePath().normalize();
    Path appJar = spec.appJar.toAbsolutePath().normalize();
    Path libos = spec.libos.toAbsolutePath().normalize();
    Path runtime = spec.runtimeDir.toAbsolutePath().normalize();

    TrustedFiles trusted = new TrustedFiles().addTree(jdk).addJars(sparkJars).addFile(appJar);
    for (Path jar : spec.extraJars) {
      trusted.addFile(jar);
    }
    trusted.addTree(runtime);
    for (Path tree : spec.extraTrustedTrees) {
      trusted.addTree(tree);
    }
    for (Path file : spec.filesAt.values()) {
      trusted.addFile(file);
    }
    List<TrustedFile> files = trusted.list();

    long enclaveSize =
        spec.enclaveSizeOverride != null
            ? spec.enclaveSizeOverride
            : EnclaveSizing.enclaveSize(spec.heapBytes);
    int maxThreads =
        spec.maxThreadsOverride != null
            ? spec.maxThreadsOverride
            : EnclaveSizing.maxThreads(spec.cores);

    List<String> classPath = new ArrayList<>();
    classPath.add(appJar.toString());
    for (Path jar : spec.extraJars) {
      classPath.add(jar.toAbsolutePath().normalize().toString());
    }
    classPath.add(sparkJars + "/*");
    List<String> argv = new ArrayList<>();
    argv.add(java.toString());
    argv.add(
        "-Xmx"
            + GramineSize.format(spec.heapBytes)
                .replace("K", "k")
                .replace("M", "m")
                .replace("G", "g"));
    argv.add("-XX:ActiveProcessorCount=" + spec.cores);
    argv.addAll(spec.jvmOptions);
    argv.add("-cp");
    argv.add(String.join(":", classPath));
    argv.add(spec.mainClass);
    argv.addAll(spec.args);

    TomlMapper mapper = new TomlMapper();
    ObjectNode root = mapper.createObjectNode();
    ObjectNode loader = root.putObject("loader");
    loader.put("log_level", spec.logLevel);
    ObjectNode entry = loader.putObject("entrypoint");
    entry.put("uri", "file:" + libos);
    entry.put("sha256", TrustedFiles.sha256(libos));
    ArrayNode argvNode = loader.putArray("argv");
    argv.forEach(argvNode::add);
    ObjectNode env = loader.putObject("env");
    StringBuilder libraryPath = new StringBuilder("/lib:" + jdk + "/lib:" + jdk + "/lib/server");
    for (Path tree : spec.extraTrustedTrees) {
      // Extra trusted trees are typically the system libraries the JDK links against.
      libraryPath.append(':').append(tree.toAbsolutePath().normalize());
    }
    env.put("LD_LIBRARY_PATH", libraryPath.toString());
    env.put("JAVA_HOME", jdk.toString());
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(spec.env).entrySet()) {
      env.put(e.getKey(), e.getValue());
    }
    for (String name : spec.passthroughEnv) {
      env.putObject(name).put("passthrough", true);
    }

    root.putObject("libos").put("entrypoint", java.toString());
    ObjectNode sys = root.putObject("sys");
    // A child process would be a new enclave started from the host's copy of the parent; the
    // in-enclave path starts none (docs/enclave-signing.md), so any attempt fails at once.
    sys.put("disallow_subprocesses", true);
    sys.putObject("stack").put("size", "2M");

    ArrayNode mounts = root.putObject("fs").putArray("mounts");
    // Gramine's runtime is seen at /lib; everything else at its host path.
    mounts.addObject().put("path", "/lib").put("uri", "file:" + runtime);
    // /tmp before the host directories: a later mount shadows an earlier one, so a directory
    // under /tmp (a CI workspace, say) stays visible above the enclave's own /tmp.
    if (spec.tmpMount == SparkManifestSpec.TmpMount.ENCRYPTED) {
      mounts
          .addObject()
          .put("type", "encrypted")
          .put("path", "/tmp")
          .put("uri", "file:" + spec.encryptedTmpHostDir)
          .put("key_name", "_sgx_mrenclave");
    } else {
      mounts.addObject().put("type", "tmpfs").put("path", "/tmp");
    }
    Set<Path> mountDirs = new LinkedHashSet<>();
    mountDirs.add(jdk);
    mountDirs.add(sparkJars);
    mountDirs.add(appJar.getParent());
    for (Path jar : spec.extraJars) {
      mountDirs.add(jar.toAbsolutePath().normalize().getParent());
    }
    for (Path tree : spec.extraTrustedTrees) {
      mountDirs.add(tree.toAbsolutePath().normalize());
    }
    List<Path> dataDirs = new ArrayList<>();
    for (Path dir : spec.dataDirs) {
      dataDirs.add(dir.toAbsolutePath().normalize());
    }
    mountDirs.addAll(dataDirs);
    for (Path dir : mountDirs) {
      if (dir.equals(TMP)) {
        throw new GramineManifestException(
            "fs.mounts: /tmp itself is the enclave's scratch space; use a directory below it");
      }
      mounts.addObject().put("path", dir.toString()).put("uri", "file:" + dir);
    }
    for (Map.Entry<String, Path> f : spec.filesAt.entrySet()) {
      if (!f.getKey().startsWith("/")) {
        throw new GramineManifestException("fs.mounts: " + f.getKey() + " is not absolute");
      }
      mounts
          .addObject()
          .put("path", f.getKey())
          .put("uri", "file:" + f.getValue().toAbsolutePath().normalize());
    }

    ObjectNode sgx = root.putObject("sgx");
    sgx.put("debug", spec.debug);
    sgx.put("edmm_enable", spec.edmm);
    sgx.put("enclave_size", GramineSize.format(enclaveSize));
    sgx.put("max_threads", maxThreads);
    sgx.put("use_exinfo", true);
    sgx.put("remote_attestation", "dcap");
    sgx.put("isvprodid", spec.isvProdId);
    sgx.put("isvsvn", spec.isvSvn);
    sgx.put("enable_stats", false);
    ObjectNode cpu = sgx.putObject("cpu_features");
    cpu.put("avx", "unspecified")
        .put("avx512", "unspecified")
        .put("amx", "unspecified")
        .put("mpx", "disabled")
        .put("pkru", "disabled");
    if (!dataDirs.isEmpty()) {
      // Unmeasured on purpose: PPML ciphertext, whose confidentiality and integrity come from the
      // PPML format (AES-GCM under a released key), not from Gramine.
      ArrayNode allowed = sgx.putArray("allowed_files");
      dataDirs.forEach(d -> allowed.add("file:" + d + "/"));
    }
    ArrayNode trustedNode = sgx.putArray("trusted_files");
    for (TrustedFile f : files) {
      trustedNode.addObject().put("uri", f.uri()).put("sha256", f.sha256());
    }

    // Gramine's own serialisation, so gramine-manifest and gramine-sgx-sign leave it unchanged
    // and measure the same MRENCLAVE.
    byte[] toml = CanonicalManifest.render(root);
    verifyReadBack(toml, enclaveSize, maxThreads, files, spec);
    return new SparkManifest(toml, files, enclaveSize, maxThreads, argv);
  }

  private static void validate(SparkManifestSpec spec) throws GramineManifestException {
    if (!LOG_LEVELS.contains(spec.logLevel)) {
      throw new GramineManifestException(
          "loader.log_level: \"" + spec.logLevel + "\" is not one of " + LOG_LEVELS);
    }
    for (String name : spec.env.keySet()) {
      if (!ENV_NAME.matcher(name).matches()) {
        throw new GramineManifestException(
            "loader.env: \"" + name + "\" is not a valid variable name");
      }
      if (name.equals("LD_LIBRARY_PATH") || name.equals("JAVA_HOME")) {
        throw new GramineManifestException("loader.env." + name + " is set by the generator");
      }
    }
    for (String name : spec.passthroughEnv) {
      if (!ENV_NAME.matcher(name).matches()) {
        throw new GramineManifestException(
            "loader.env: \"" + name + "\" is not a valid variable name");
      }
      if (!SparkManifestSpec.PASSTHROUGH_ALLOW_LIST.contains(name)) {
        throw new GramineManifestException(
            "loader.env."
                + name
                + " cannot pass through from the host: "
                + "it is not on the allow-list ("
                + String.join(", ", SparkManifestSpec.PASSTHROUGH_ALLOW_LIST)
                + "), since a host-set variable must never change which code runs or where data goes; "
                + "fix its value in the manifest instead");
      }
      if (spec.env.containsKey(name)) {
        throw new GramineManifestException(
            "loader.env." + name + " is both fixed and passed through");
      }
    }
    for (String opt : spec.jvmOptions) {
      if (opt.startsWith("-Xmx") || opt.startsWith("-XX:MaxHeapSize")) {
        throw new GramineManifestException(
            "loader.argv: set the heap with the heap size, not "
                + opt
                + ", so the enclave is sized for it");
      }
    }
    if (spec.isvProdId < 0 || spec.isvProdId > 0xffff) {
      throw new GramineManifestException("sgx.isvprodid: must be 0..65535, got " + spec.isvProdId);
    }
    if (spec.isvSvn < 0 || spec.isvSvn > 0xffff) {
      throw new GramineManifestException("sgx.isvsvn: must be 0..65535, got " + spec.isvSvn);
    }
    if (spec.enclaveSizeOverride != null) {
      long size = spec.enclaveSizeOverride;
      if (size <= 0 || Long.bitCount(size) != 1) {
        throw new GramineManifestException("sgx.enclave_size: " + size + " is not a power of two");
      }
      if (size <= spec.heapBytes) {
        throw new GramineManifestException(
            "sgx.enclave_size: "
                + GramineSize.format(size)
                + " does not hold a heap of "
                + GramineSize.format(spec.heapBytes));
      }
    }
    if (spec.maxThreadsOverride != null
        && (spec.maxThreadsOverride < 1
            || spec.maxThreadsOverride > GramineSgxSettings.MAX_THREADS)) {
      throw new GramineManifestException(
          "sgx.max_threads: must be 1.." + GramineSgxSettings.MAX_THREADS);
    }
    if (spec.tmpMount == SparkManifestSpec.TmpMount.ENCRYPTED
        && !spec.encryptedTmpHostDir.endsWith("/")) {
      throw new GramineManifestException(
          "fs.mounts: the encrypted /tmp host directory must end in \"/\"");
    }
  }

  /** Reads the rendered TOML back, as Gramine would, and checks it says what was meant. */
  private static void verifyReadBack(
      byte[] toml,
      long enclaveSize,
      int maxThreads,
      List<TrustedFile> files,
      SparkManifestSpec spec)
      throws GramineManifestException {
    GramineSgxSettings s = GramineSgxSettings.fromManifest(toml);
    JsonNode tree;
    try {
      tree = new TomlMapper().readTree(toml);
    } catch (IOException e) {
      throw new IllegalStateException("rendered manifest does not parse", e);
    }
    JsonNode tf = tree.path("sgx").path("trusted_files");
    boolean ok =
        s.enclaveSize() == enclaveSize
            && s.maxThreads() == maxThreads
            && s.debug() == spec.debug
            && s.useExinfo()
            && "dcap".equals(s.remoteAttestation())
            && s.edmmEnable() == spec.edmm
            && s.isvProdId() == spec.isvProdId
            && s.isvSvn() == spec.isvSvn
            && tf.isArray()
            && tf.size() == files.size();
    for (int i = 0; ok && i < files.size(); i++) {
      ok =
          files.get(i).uri().equals(tf.get(i).path("uri").asText())
              && files.get(i).sha256().equals(tf.get(i).path("sha256").asText());
    }
    if (!ok) {
      throw new IllegalStateException("rendered manifest does not read back as generated");
    }
  }

  private SparkManifestGenerator() {}
}
