package org.ppml.graphene.manifest;

import java.util.List;

/**
 * A rendered Gramine manifest for a Spark JVM.
 *
 * <p>Every trusted file already carries its hash and the bytes are in Gramine's own serialisation
 * ({@link CanonicalManifest}), so they are also the {@code .manifest.sgx} that gets measured, by
 * this project or by {@code gramine-sgx-sign}: write them to both {@code X.manifest} and {@code
 * X.manifest.sgx}, then measure and sign with {@link org.ppml.graphene.layout.GramineMeasurer} and
 * {@link org.ppml.graphene.sign.GramineSigner}.
 *
 * @param toml the manifest, UTF-8 TOML
 * @param trustedFiles every trusted file, sorted by URI
 * @param enclaveSize {@code sgx.enclave_size} in bytes, a power of two
 * @param maxThreads {@code sgx.max_threads}
 * @param argv {@code loader.argv}, the fixed command line
 */
public record SparkManifest(
    byte[] toml,
    List<TrustedFile> trustedFiles,
    long enclaveSize,
    int maxThreads,
    List<String> argv) {

  /** Copies the array and lists. */
  public SparkManifest {
    toml = toml.clone();
    trustedFiles = List.copyOf(trustedFiles);
    argv = List.copyOf(argv);
  }

  /**
   * @return a copy of the toml bytes
   */
  @Override
  public byte[] toml() {
    return toml.clone();
  }
}
