package org.ppml.graphene.manifest;

/**
 * Derives {@code sgx.enclave_size} and {@code sgx.max_threads} for a JVM running a Spark executor,
 * since without EDMM every byte and thread slot is fixed when the enclave is built.
 *
 * <p>Enclave size: the heap, plus half the heap again for what the JVM keeps off-heap (metaspace,
 * code cache, GC structures, Netty and NIO direct buffers), plus 1 GiB for Gramine, the libc and
 * thread stacks, rounded up to a power of two as SGX requires. Threads: Spark runs one task thread
 * per core, and the JVM and Spark add a roughly fixed crowd (GC and JIT workers, RPC and shuffle
 * pools, Netty event loops), so 128 plus 16 per core. Both can be overridden.
 */
public final class EnclaveSizing {

  /** Smallest enclave produced: a JVM does not start in less. */
  public static final long MIN_ENCLAVE_SIZE = 1L << 30;

  /** Largest enclave produced (1 TiB). */
  public static final long MAX_ENCLAVE_SIZE = 1L << 40;

  /**
   * @param heapBytes the JVM heap ({@code -Xmx})
   * @return the enclave size: a power of two
   * @throws IllegalArgumentException if the heap is not positive or the enclave would exceed 1 TiB
   */
  public static long enclaveSize(long heapBytes) {
    if (heapBytes <= 0) {
      throw new IllegalArgumentException("heap size must be positive");
    }
    if (heapBytes > MAX_ENCLAVE_SIZE / 2) {
      throw new IllegalArgumentException(
          "a heap of "
              + GramineSize.format(heapBytes)
              + " needs an enclave larger than "
              + GramineSize.format(MAX_ENCLAVE_SIZE));
    }
    long needed = heapBytes + heapBytes / 2 + (1L << 30);
    long size = Long.highestOneBit(needed);
    if (size < needed) {
      size <<= 1;
    }
    size = Math.max(size, MIN_ENCLAVE_SIZE);
    if (size > MAX_ENCLAVE_SIZE) {
      throw new IllegalArgumentException(
          "a heap of "
              + GramineSize.format(heapBytes)
              + " needs an enclave larger than "
              + GramineSize.format(MAX_ENCLAVE_SIZE));
    }
    return size;
  }

  /**
   * @param cores executor cores
   * @return {@code sgx.max_threads}
   */
  public static int maxThreads(int cores) {
    if (cores < 1 || cores > 1024) {
      throw new IllegalArgumentException("executor cores must be 1..1024, got " + cores);
    }
    return 128 + 16 * cores;
  }

  private EnclaveSizing() {}
}
