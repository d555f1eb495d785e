package org.ppml.occlum.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An {@code Occlum.json} in the layout of Occlum 0.29/0.30 ({@code etc/template/Occlum.json}):
 * {@code resource_limits}, {@code process}, {@code entry_points}, {@code env} (trusted {@code
 * default} and the {@code untrusted} allow-list), {@code metadata}, {@code feature} and {@code
 * mount}.
 *
 * <p>{@link #generate} writes it from a spec; {@link #parse} reads one back (bounded, every size
 * parsed, the fields Occlum requires present), so that the file written is the file checked. Fields
 * Occlum added later ({@code feature}) or dropped ({@code metadata.pkru}) are both written:
 * Occlum's parser ignores the ones it does not know.
 */
public final class OcclumConfig {
  /** Largest file read back; a real one is about 2 KiB. */
  public static final int MAX_SIZE = 1 << 20;

  /** {@code process.default_heap_size}: the brk heap. The JVM heap itself is mmap'd. */
  public static final OcclumSize PROCESS_HEAP = OcclumSize.ofBytes(64L << 20);

  /** {@code process.default_stack_size}: the main thread's stack. */
  public static final OcclumSize PROCESS_STACK = OcclumSize.ofBytes(4L << 20);

  /** {@code resource_limits.kernel_space_stack_size}, Occlum's default. */
  public static final OcclumSize KERNEL_STACK = OcclumSize.ofBytes(1L << 20);

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final ObjectNode root;
  private final OcclumSize userSpace;
  private final OcclumSize kernelHeap;
  private final int maxThreads;
  private final int productId;
  private final int versionNumber;
  private final boolean debuggable;
  private final List<String> untrustedEnv;

  private OcclumConfig(
      ObjectNode root,
      OcclumSize userSpace,
      OcclumSize kernelHeap,
      int maxThreads,
      int productId,
      int versionNumber,
      boolean debuggable,
      List<String> untrustedEnv) {
    this.root = root;
    this.userSpace = userSpace;
    this.kernelHeap = kernelHeap;
    this.maxThreads = maxThreads;
    this.productId = productId;
    this.versionNumber = versionNumber;
    this.debuggable = debuggable;
    this.untrustedEnv = untrustedEnv;
  }

  /** Builds the document for {@code spec}. */
  public static OcclumConfig generate(OcclumConfigSpec spec) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode limits = root.putObject("resource_limits");
    limits.put("user_space_size", spec.userSpace().toString());
    limits.put("kernel_space_heap_size", spec.kernelHeap().toString());
    limits.put("kernel_space_stack_size", KERNEL_STACK.toString());
    limits.put("max_num_of_threads", spec.threads());

    ObjectNode process = root.putObject("process");
    process.put("default_stack_size", PROCESS_STACK.toString());
    process.put("default_heap_size", PROCESS_HEAP.toString());
    // Obsolete since Occlum 0.30, but on older versions it caps mmap, where the JVM heap lives.
    OcclumSize mmap =
        OcclumSize.ofBytes(spec.userSpace().bytes() - PROCESS_HEAP.bytes() - PROCESS_STACK.bytes());
    process.put("default_mmap_size", mmap.roundDownToMegabytes().toString());

    ArrayNode entryPoints = root.putArray("entry_points");
    spec.entryPoints().forEach(entryPoints::add);

    ObjectNode env = root.putObject("env");
    ArrayNode trusted = env.putArray("default");
    spec.trustedEnv().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> trusted.add(e.getKey() + "=" + e.getValue()));
    ArrayNode untrusted = env.putArray("untrusted");
    spec.untrustedEnv().forEach(untrusted::add);

    ObjectNode metadata = root.putObject("metadata");
    metadata.put("product_id", spec.productId());
    metadata.put("version_number", spec.versionNumber());
    metadata.put("debuggable", spec.debug());
    metadata.put("enable_kss", false);
    metadata.putObject("family_id").put("high", "0x0").put("low", "0x0");
    metadata.putObject("ext_prod_id").put("high", "0x0").put("low", "0x0");
    metadata.put("pkru", 0);

    ObjectNode feature = root.putObject("feature");
    feature.put("amx", 0);
    feature.put("pkru", 0);
    feature.put("io_uring", 0);
    feature.put("enable_edmm", false);
    feature.put("enable_posix_shm", false);

    ArrayNode mounts = root.putArray("mount");
    ObjectNode rootFs = mounts.addObject().put("target", "/").put("type", "unionfs");
    ArrayNode layers = rootFs.putObject("options").putArray("layers");
    layers
        .addObject()
        .put("target", "/")
        .put("type", "sefs")
        .put("source", "./build/mount/__ROOT")
        .putObject("options")
        .put("MAC", "");
    layers.addObject().put("target", "/").put("type", "sefs").put("source", "./run/mount/__ROOT");
    for (OcclumConfigSpec.HostMount m : spec.hostMounts()) {
      mounts.addObject().put("target", m.target()).put("type", "hostfs").put("source", m.source());
    }
    mounts.addObject().put("target", "/proc").put("type", "procfs");
    mounts.addObject().put("target", "/dev").put("type", "devfs");
    if (spec.tmp() == OcclumConfigSpec.TmpMount.RAMFS) {
      mounts.addObject().put("target", "/tmp").put("type", "ramfs");
    } else {
      mounts
          .addObject()
          .put("target", "/tmp")
          .put("type", "sefs")
          .put("source", "./run/mount/tmp")
          .putObject("options")
          .put("temporary", true);
    }
    try {
      return parse(toBytes(root));
    } catch (OcclumConfigException e) {
      throw new IllegalStateException(
          "generated an Occlum.json that does not read back: " + e.getMessage(), e);
    }
  }

  /**
   * Reads an {@code Occlum.json}.
   *
   * @throws OcclumConfigException naming the first missing or invalid field
   */
  public static OcclumConfig parse(byte[] bytes) throws OcclumConfigException {
    if (bytes.length > MAX_SIZE) {
      throw new OcclumConfigException(
          "Occlum.json is " + bytes.length + " bytes, more than " + MAX_SIZE);
    }
    JsonNode tree;
    try {
      tree = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new OcclumConfigException("Occlum.json is not JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new OcclumConfigException("Occlum.json cannot be read: " + e.getMessage(), e);
    }
    if (!(tree instanceof ObjectNode root)) {
      throw new OcclumConfigException("Occlum.json is not a JSON object");
    }
    JsonNode limits = object(root, "resource_limits");
    OcclumSize userSpace =
        OcclumSize.parse(
            text(limits, "resource_limits.user_space_size"), "resource_limits.user_space_size");
    OcclumSize kernelHeap =
        OcclumSize.parse(
            text(limits, "resource_limits.kernel_space_heap_size"),
            "resource_limits.kernel_space_heap_size");
    OcclumSize.parse(
        text(limits, "resource_limits.kernel_space_stack_size"),
        "resource_limits.kernel_space_stack_size");
    int threads =
        integer(limits, "resource_limits.max_num_of_threads", 1, OcclumConfigSpec.MAX_THREADS);

    JsonNode process = object(root, "process");
    OcclumSize stack =
        OcclumSize.parse(text(process, "process.default_stack_size"), "process.default_stack_size");
    OcclumSize brk =
        OcclumSize.parse(text(process, "process.default_heap_size"), "process.default_heap_size");
    OcclumSize.parse(text(process, "process.default_mmap_size"), "process.default_mmap_size");
    // Compared without adding: the two sizes come from the file and may be near Long.MAX_VALUE.
    if (brk.bytes() > userSpace.bytes() || stack.bytes() > userSpace.bytes() - brk.bytes()) {
      throw new OcclumConfigException(
          "process: default_stack_size "
              + stack
              + " and default_heap_size "
              + brk
              + " exceed resource_limits.user_space_size ("
              + userSpace
              + ")");
    }
    if (!root.path("entry_points").isArray() || root.path("entry_points").isEmpty()) {
      throw new OcclumConfigException("entry_points: a non-empty list is required");
    }
    JsonNode env = object(root, "env");
    strings(env, "default", "env.default");
    List<String> untrusted = strings(env, "untrusted", "env.untrusted");

    JsonNode metadata = object(root, "metadata");
    int productId = integer(metadata, "metadata.product_id", 0, OcclumConfigSpec.MAX_ID);
    int versionNumber = integer(metadata, "metadata.version_number", 0, OcclumConfigSpec.MAX_ID);
    JsonNode debuggable = metadata.get("debuggable");
    if (debuggable == null || !debuggable.isBoolean()) {
      throw new OcclumConfigException("metadata.debuggable: a boolean is required");
    }
    JsonNode mount = root.get("mount");
    if (mount == null || !mount.isArray() || !hasUnionRoot(mount)) {
      throw new OcclumConfigException("mount: the root \"/\" must be a unionfs with layers");
    }
    return new OcclumConfig(
        root,
        userSpace,
        kernelHeap,
        threads,
        productId,
        versionNumber,
        debuggable.booleanValue(),
        untrusted);
  }

  /**
   * Checks that this document says what {@code spec} asked for: the heap fits the user space, the
   * thread limit and identity match, and it is debuggable exactly when debug was asked.
   *
   * @throws OcclumConfigException naming the first mismatch
   */
  public void checkMatches(OcclumConfigSpec spec) throws OcclumConfigException {
    if (spec.heap().compareTo(userSpace) > 0) {
      throw new OcclumConfigException(
          "resource_limits.user_space_size "
              + userSpace
              + " is smaller than the JVM heap "
              + spec.heap());
    }
    if (debuggable != spec.debug()) {
      throw new OcclumConfigException(
          "metadata.debuggable is "
              + debuggable
              + (debuggable ? " without --debug" : " although --debug was given"));
    }
    if (maxThreads != spec.threads()) {
      throw new OcclumConfigException(
          "resource_limits.max_num_of_threads is " + maxThreads + ", not " + spec.threads());
    }
    if (productId != spec.productId() || versionNumber != spec.versionNumber()) {
      throw new OcclumConfigException(
          "metadata product_id/version_number are "
              + productId
              + "/"
              + versionNumber
              + ", not "
              + spec.productId()
              + "/"
              + spec.versionNumber());
    }
    if (!untrustedEnv.equals(spec.untrustedEnv())) {
      throw new OcclumConfigException(
          "env.untrusted is " + untrustedEnv + ", not " + spec.untrustedEnv());
    }
  }

  private static boolean hasUnionRoot(JsonNode mounts) {
    for (JsonNode m : mounts) {
      if ("/".equals(m.path("target").asText())
          && "unionfs".equals(m.path("type").asText())
          && m.path("options").path("layers").isArray()) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode object(JsonNode parent, String field) throws OcclumConfigException {
    JsonNode n = parent.get(field);
    if (n == null || !n.isObject()) {
      throw new OcclumConfigException(field + ": an object is required");
    }
    return n;
  }

  private static String text(JsonNode parent, String path) throws OcclumConfigException {
    JsonNode n = parent.get(path.substring(path.lastIndexOf('.') + 1));
    if (n == null || !n.isTextual()) {
      throw new OcclumConfigException(path + ": a string is required");
    }
    return n.asText();
  }

  private static int integer(JsonNode parent, String path, int min, int max)
      throws OcclumConfigException {
    JsonNode n = parent.get(path.substring(path.lastIndexOf('.') + 1));
    if (n == null
        || !n.isIntegralNumber()
        || !n.canConvertToInt()
        || n.intValue() < min
        || n.intValue() > max) {
      throw new OcclumConfigException(
          path + ": an integer in " + min + ".." + max + " is required");
    }
    return n.intValue();
  }

  private static List<String> strings(JsonNode parent, String field, String path)
      throws OcclumConfigException {
    JsonNode n = parent.get(field);
    if (n == null || !n.isArray()) {
      throw new OcclumConfigException(path + ": a list of strings is required");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : n) {
      if (!e.isTextual()) {
        throw new OcclumConfigException(path + ": a list of strings is required");
      }
      out.add(e.asText());
    }
    return List.copyOf(out);
  }

  private static byte[] toBytes(ObjectNode root) {
    try {
      return (JSON.writeValueAsString(root) + "\n")
          .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The file content: pretty-printed JSON with a final newline. */
  public byte[] toBytes() {
    return toBytes(root);
  }

  /** A copy of the document. */
  public ObjectNode json() {
    return root.deepCopy();
  }

  public OcclumSize userSpace() {
    return userSpace;
  }

  public OcclumSize kernelHeap() {
    return kernelHeap;
  }

  public int maxThreads() {
    return maxThreads;
  }

  public int productId() {
    return productId;
  }

  public int versionNumber() {
    return versionNumber;
  }

  public boolean debuggable() {
    return debuggable;
  }

  /** {@code env.untrusted}: the host variables passed in. */
  public List<String> untrustedEnv() {
    return untrustedEnv;
  }
}
