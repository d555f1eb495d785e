package org.ppml.occlum.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The inputs of {@code ppml occlum config}, validated: the JVM heap, the thread limit, debug, the
 * SIGSTRUCT identity (product id, version number), the environment allow-list and the mounts.
 *
 * <p>Defaults are for a JVM running Spark: only {@code /usr/lib/jvm} may be started by {@code
 * occlum run}, no host environment variable reaches the enclave unless listed, and {@code /tmp}
 * (Spark's spill) is an encrypted SEFS discarded when the enclave exits.
 */
public final class OcclumConfigSpec {
  /** What {@code /tmp} is inside the enclave. */
  public enum TmpMount {
    /** An encrypted SEFS under {@code ./run/mount/tmp}, dropped on exit ({@code temporary}). */
    ENCRYPTED,
    /** In enclave memory; counts against the LibOS kernel heap. */
    RAMFS
  }

  /** A host directory made visible inside the enclave as an untrusted HostFS. */
  public record HostMount(String target, String source) {}

  /** The most LibOS threads accepted: Occlum's own TCS ceiling in {@code gen_internal_conf}. */
  public static final int MAX_THREADS = 4096;

  /** ISVPRODID and ISVSVN are 16-bit SIGSTRUCT fields. */
  public static final int MAX_ID = 0xffff;

  /**
   * The largest memory size accepted for any input, 16 TiB: far beyond any EPC, and sums stay
   * exact.
   */
  public static final OcclumSize MAX_MEMORY = OcclumSize.ofBytes(1L << 44);

  /** The LibOS kernel heap unless given: page caches, RamFS, sockets. */
  public static final OcclumSize DEFAULT_KERNEL_HEAP = OcclumSize.ofBytes(512L << 20);

  /**
   * The smallest headroom over the JVM heap: metaspace, code cache, thread stacks, direct buffers.
   */
  public static final OcclumSize MIN_HEADROOM = OcclumSize.ofBytes(1L << 30);

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final OcclumSize heap;
  private final OcclumSize userSpace;
  private final int threads;
  private final boolean debug;
  private final int productId;
  private final int versionNumber;
  private final OcclumSize kernelHeap;
  private final List<String> entryPoints;
  private final Map<String, String> trustedEnv;
  private final List<String> untrustedEnv;
  private final TmpMount tmp;
  private final List<HostMount> hostMounts;

  private OcclumConfigSpec(Builder b, OcclumSize userSpace) {
    this.heap = b.heap;
    this.userSpace = userSpace;
    this.threads = b.threads;
    this.debug = b.debug;
    this.productId = b.productId;
    this.versionNumber = b.versionNumber;
    this.kernelHeap = b.kernelHeap;
    this.entryPoints =
        List.copyOf(b.entryPoints.isEmpty() ? List.of("/usr/lib/jvm") : b.entryPoints);
    this.trustedEnv = Map.copyOf(b.trustedEnv);
    this.untrustedEnv = List.copyOf(b.untrustedEnv);
    this.tmp = b.tmp;
    this.hostMounts = List.copyOf(b.hostMounts);
  }

  /** A builder; {@code heap} and {@code threads} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The user space derived from the heap when none is given: the heap plus half of it, at least
   * {@link #MIN_HEADROOM} more, rounded up to a MiB. Without EDMM this is committed at enclave
   * start, so it is a trade-off rather than a guess to be generous with.
   */
  public static OcclumSize derivedUserSpace(OcclumSize heap) {
    long headroom = Math.max(heap.bytes() / 2, MIN_HEADROOM.bytes());
    return heap.plus(OcclumSize.ofBytes(headroom)).roundUpToMegabytes();
  }

  /** The JVM heap ({@code -Xmx}) the enclave must hold. */
  public OcclumSize heap() {
    return heap;
  }

  /** {@code resource_limits.user_space_size}. */
  public OcclumSize userSpace() {
    return userSpace;
  }

  /** {@code resource_limits.max_num_of_threads}. */
  public int threads() {
    return threads;
  }

  /** {@code metadata.debuggable}. */
  public boolean debug() {
    return debug;
  }

  /** {@code metadata.product_id} (ISVPRODID). */
  public int productId() {
    return productId;
  }

  /** {@code metadata.version_number} (ISVSVN). */
  public int versionNumber() {
    return versionNumber;
  }

  /** {@code resource_limits.kernel_space_heap_size}. */
  public OcclumSize kernelHeap() {
    return kernelHeap;
  }

  /** {@code entry_points}: the path prefixes {@code occlum run} may start. */
  public List<String> entryPoints() {
    return entryPoints;
  }

  /** {@code env.default}: variables fixed in the (measured) configuration. */
  public Map<String, String> trustedEnv() {
    return trustedEnv;
  }

  /** {@code env.untrusted}: the only host variables passed in. */
  public List<String> untrustedEnv() {
    return untrustedEnv;
  }

  public TmpMount tmp() {
    return tmp;
  }

  public List<HostMount> hostMounts() {
    return hostMounts;
  }

  /** Collects and checks the inputs. */
  public static final class Builder {
    private OcclumSize heap;
    private Optional<OcclumSize> userSpace = Optional.empty();
    private int threads;
    private boolean debug;
    private int productId;
    private int versionNumber;
    private OcclumSize kernelHeap = DEFAULT_KERNEL_HEAP;
    private final List<String> entryPoints = new ArrayList<>();
    private final Map<String, String> trustedEnv = new LinkedHashMap<>();
    private final List<String> untrustedEnv = new ArrayList<>();
    private TmpMount tmp = TmpMount.ENCRYPTED;
    private final List<HostMount> hostMounts = new ArrayList<>();

    private Builder() {}

    public Builder heap(OcclumSize heap) {
      this.heap = heap;
      return this;
    }

    /** The user space; when not set, {@link #derivedUserSpace} of the heap. */
    public Builder userSpace(OcclumSize userSpace) {
      this.userSpace = Optional.ofNullable(userSpace);
      return this;
    }

    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    public Builder debug(boolean debug) {
      this.debug = debug;
      return this;
    }

    public Builder productId(int productId) {
      this.productId = productId;
      return this;
    }

    public Builder versionNumber(int versionNumber) {
      this.versionNumber = versionNumber;
      return this;
    }

    public Builder kernelHeap(OcclumSize kernelHeap) {
      this.kernelHeap = kernelHeap;
      return this;
    }

    /** Adds an entry point; the default {@code /usr/lib/jvm} applies only when none is added. */
    public Builder entryPoint(String path) {
      entryPoints.add(path);
      return this;
    }

    /** Adds a trusted variable, {@code NAME=VALUE}. */
    public Builder trustedEnv(String assignment) throws OcclumConfigException {
      int eq = assignment.indexOf('=');
      if (eq <= 0 || !ENV_NAME.matcher(assignment.substring(0, eq)).matches()) {
        throw new OcclumConfigException("--env: \"" + assignment + "\" is not NAME=VALUE");
      }
      trustedEnv.put(assignment.substring(0, eq), assignment.substring(eq + 1));
      return this;
    }

    /** Allows one host variable into the enclave by name. */
    public Builder untrustedEnv(String name) throws OcclumConfigException {
      if (!ENV_NAME.matcher(name).matches()) {
        throw new OcclumConfigException("--untrusted-env: \"" + name + "\" is not a variable name");
      }
      if (!untrustedEnv.contains(name)) {
        untrustedEnv.add(name);
      }
      return this;
    }

    public Builder tmp(TmpMount tmp) {
      this.tmp = tmp;
      return this;
    }

    /** Mounts host directory {@code source} at {@code target} (HostFS: no protection). */
    public Builder hostMount(String target, String source) {
      hostMounts.add(new HostMount(target, source));
      return this;
    }

    /**
     * @throws OcclumConfigException naming the first invalid input
     */
    public OcclumConfigSpec build() throws OcclumConfigException {
      if (heap == null || heap.bytes() == 0) {
        throw new OcclumConfigException("--heap: a JVM heap size is required");
      }
      checkMemory("--heap", heap);
      checkMemory("--kernel-heap", kernelHeap);
      if (userSpace.isPresent()) {
        checkMemory("--user-space", userSpace.get());
      }
      if (threads <= 0 || threads > MAX_THREADS) {
        throw new OcclumConfigException("--threads: " + threads + " is outside 1.." + MAX_THREADS);
      }
      checkId("--product-id", productId);
      checkId("--version-number", versionNumber);
      if (kernelHeap.bytes() == 0) {
        throw new OcclumConfigException("--kernel-heap: must not be zero");
      }
      OcclumSize user = userSpace.orElseGet(() -> derivedUserSpace(heap));
      OcclumSize needed = heap.plus(OcclumConfig.PROCESS_HEAP).plus(OcclumConfig.PROCESS_STACK);
      if (user.compareTo(needed) < 0) {
        throw new OcclumConfigException(
            "--user-space: "
                + user
                + " cannot hold the "
                + heap
                + " heap plus the process's brk heap and stack ("
                + needed
                + " at least)");
      }
      for (String p : entryPoints) {
        checkAbsolute("--entry-point", p);
      }
      for (HostMount m : hostMounts) {
        checkAbsolute("--host-mount", m.target());
        if (m.target().equals("/")
            || m.target().equals("/tmp")
            || m.target().equals("/proc")
            || m.target().equals("/dev")) {
          throw new OcclumConfigException("--host-mount: " + m.target() + " is reserved");
        }
        if (m.source().isBlank()) {
          throw new OcclumConfigException("--host-mount: empty host directory for " + m.target());
        }
      }
      return new OcclumConfigSpec(this, user);
    }

    private static void checkMemory(String option, OcclumSize size) throws OcclumConfigException {
      if (size.compareTo(MAX_MEMORY) > 0) {
        throw new OcclumConfigException(option + ": " + size + " is more than " + MAX_MEMORY);
      }
    }

    private static void checkId(String option, int value) throws OcclumConfigException {
      if (value < 0 || value > MAX_ID) {
        throw new OcclumConfigException(option + ": " + value + " is outside 0.." + MAX_ID);
      }
    }

    private static void checkAbsolute(String option, String path) throws OcclumConfigException {
      if (!path.startsWith("/") || path.contains("/../") || path.endsWith("/..")) {
        throw new OcclumConfigException(option + ": \"" + path + "\" is not an absolute path");
      }
    }
  }
}
