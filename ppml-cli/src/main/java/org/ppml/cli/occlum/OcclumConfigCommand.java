package org.ppml.cli.occlum;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ppml.cli.CommandOutput;
import org.ppml.cli.ErrorReporter;
import org.ppml.cli.ExitCodes;
import org.ppml.cli.OutputOptions;
import org.ppml.occlum.config.OcclumConfig;
import org.ppml.occlum.config.OcclumConfigException;
import org.ppml.occlum.config.OcclumConfigSpec;
import org.ppml.occlum.config.OcclumSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ppml occlum config}: writes an {@code Occlum.json} for a JVM running Spark, then reads the
 * written bytes back and checks them against the options before moving the file into place.
 */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Write an Occlum.json for a JVM with the given heap and thread limit.")
public final class OcclumConfigCommand implements Callable<Integer> {
  @Mixin OutputOptions output;
  @Spec CommandSpec spec;

  @Option(
      names = "--heap",
      required = true,
      paramLabel = "SIZE",
      description = "JVM heap (-Xmx), e.g. 8G.")
  String heap;

  @Option(
      names = "--threads",
      required = true,
      paramLabel = "N",
      description = "Most LibOS threads (max_num_of_threads).")
  int threads;

  @Option(names = "--debug", description = "A debuggable enclave (never for production).")
  boolean debug;

  @Option(
      names = "--product-id",
      paramLabel = "N",
      description = "ISVPRODID (metadata.product_id), 0..65535.")
  int productId;

  @Option(
      names = "--version-number",
      paramLabel = "N",
      description = "ISVSVN (metadata.version_number), 0..65535.")
  int versionNumber;

  @Option(
      names = "--user-space",
      paramLabel = "SIZE",
      description = "user_space_size; default: heap + max(heap/2, 1G).")
  String userSpace;

  @Option(
      names = "--kernel-heap",
      paramLabel = "SIZE",
      description = "kernel_space_heap_size; default 512M.")
  String kernelHeap;

  @Option(
      names = "--entry-point",
      paramLabel = "PATH",
      description = "Path prefix occlum run may start; default /usr/lib/jvm.")
  List<String> entryPoints = new ArrayList<>();

  @Option(
      names = "--env",
      paramLabel = "NAME=VALUE",
      description = "A trusted variable (env.default).")
  List<String> env = new ArrayList<>();

  @Option(
      names = "--untrusted-env",
      paramLabel = "NAME",
      description = "A host variable let in (env.untrusted); none by default.")
  List<String> untrustedEnv = new ArrayList<>();

  @Option(
      names = "--host-mount",
      paramLabel = "TARGET=HOSTDIR",
      description = "Mount a host directory (HostFS, unprotected).")
  List<String> hostMounts = new ArrayList<>();

  @Option(
      names = "--tmp",
      paramLabel = "KIND",
      description = "/tmp: encrypted (temporary SEFS, default) or ramfs.")
  String tmp = "encrypted";

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "Where to write Occlum.json.")
  Path out;

  @Option(names = "--force", description = "Replace an existing file.")
  boolean force;

  @Override
  public Integer call() throws IOException {
    OcclumConfigSpec configSpec;
    try {
      configSpec = spec();
    } catch (OcclumConfigException e) {
      throw new ErrorReporter.UsageError(e.getMessage());
    }
    OcclumConfig config = write(OcclumConfig.generate(configSpec).toBytes(), configSpec);

    CommandOutput result =
        new CommandOutput(output.json(), spec.commandLine().getOut(), spec.commandLine().getErr());
    ObjectNode json = CommandOutput.object();
    json.put("file", out.toString());
    json.put("userSpaceSize", config.userSpace().toString());
    json.put("kernelHeapSize", config.kernelHeap().toString());
    json.put("maxThreads", config.maxThreads());
    json.put("debuggable", config.debuggable());
    json.put("productId", config.productId());
    json.put("versionNumber", config.versionNumber());
    configSpec.entryPoints().forEach(json.putArray("entryPoints")::add);
    config.untrustedEnv().forEach(json.putArray("untrustedEnv")::add);
    result.result(json);
    result.line("wrote " + out);
    result.line("user space:   " + config.userSpace() + " (JVM heap " + configSpec.heap() + ")");
    result.line("threads:      " + config.maxThreads());
    result.line(
        "identity:     product_id "
            + config.productId()
            + ", version_number "
            + config.versionNumber()
            + (config.debuggable() ? ", DEBUG" : ""));
    result.line(
        "host env in:  "
            + (config.untrustedEnv().isEmpty()
                ? "none"
                : String.join(", ", config.untrustedEnv())));
    return ExitCodes.OK;
  }

  private OcclumConfigSpec spec() throws OcclumConfigException {
    OcclumConfigSpec.Builder b =
        OcclumConfigSpec.builder()
            .heap(OcclumSize.parseUserInput(heap, "--heap"))
            .threads(threads)
            .debug(debug)
            .productId(productId)
            .versionNumber(versionNumber);
    if (userSpace != null) {
      b.userSpace(OcclumSize.parseUserInput(userSpace, "--user-space"));
    }
    if (kernelHeap != null) {
      b.kernelHeap(OcclumSize.parseUserInput(kernelHeap, "--kernel-heap"));
    }
    entryPoints.forEach(b::entryPoint);
    for (String e : env) {
      b.trustedEnv(e);
    }
    for (String name : untrustedEnv) {
      b.untrustedEnv(name);
    }
    for (String m : hostMounts) {
      int eq = m.indexOf('=');
      if (eq <= 0) {
        throw new OcclumConfigException("--host-mount: \"" + m + "\" is not TARGET=HOSTDIR");
      }
      b.hostMount(m.substring(0, eq), m.substring(eq + 1));
    }
    b.tmp(
        switch (tmp.toLowerCase(Locale.ROOT)) {
          case "encrypted" -> OcclumConfigSpec.TmpMount.ENCRYPTED;
          case "ramfs" -> OcclumConfigSpec.TmpMount.RAMFS;
          default ->
              throw new OcclumConfigException("--tmp: \"" + tmp + "\" is not encrypted or ramfs");
        });
    return b.build();
  }

  /**
   * Writes next to {@code out}, reads that file back and checks it, and only then moves it into
   * place.
   */
  private OcclumConfig write(byte[] content, OcclumConfigSpec configSpec) throws IOException {
    if (Files.exists(out) && !force) {
      throw new FileAlreadyExistsException(out.toString());
    }
    Path dir = out.toAbsolutePath().getParent();
    Path tmpFile = Files.createTempFile(dir, ".occlum-json", ".tmp");
    try {
      Files.write(tmpFile, content);
      OcclumConfig written;
      try {
        written = OcclumConfig.parse(Files.readAllBytes(tmpFile));
        written.checkMatches(configSpec);
      } catch (OcclumConfigException e) {
        throw new IllegalStateException(
            "the generated Occlum.json does not match the options: " + e.getMessage(), e);
      }
      Files.move(tmpFile, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return written;
    } finally {
      Files.deleteIfExists(tmpFile);
    }
  }
}
