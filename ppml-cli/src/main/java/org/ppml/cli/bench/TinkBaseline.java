package org.ppml.cli.bench;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.Optional;

/**
 * The benchmark's baseline (c), Tink's {@code AesGcmHkdfStreaming}, reached only through this seam.
 *
 * <p>Tink is the interop oracle of the tests and the yardstick of {@code ppml bench crypto}; it is
 * not shipped in {@code ppml.jar}. {@code bin/ppml} puts it on the class path for {@code ppml
 * bench} only ({@code target/bench-classpath}). Without it the benchmark still measures raw vs
 * stream and reports {@code streamVsTink} as unavailable, so nothing outside this class may link to
 * Tink: {@link TinkStreamingKernels}, the one class that imports it, is touched only after {@link
 * #load} has seen Tink on the class path.
 */
final class TinkBaseline {
  /** The Tink class the kernels drive; its presence decides availability. */
  static final String TINK_CLASS = "com.google.crypto.tink.subtle.AesGcmHkdfStreaming";

  /** What the benchmark reports instead of a Tink figure. */
  static final String UNAVAILABLE =
      "Tink is not on the class path (it is not shipped in ppml.jar; bin/ppml adds it for 'ppml bench')";

  /**
   * Tink's streaming encrypt and decrypt over the benchmark's data set; each returns a checksum.
   */
  interface Kernels {
    long decrypt() throws IOException, GeneralSecurityException;

    long encrypt() throws IOException, GeneralSecurityException;
  }

  private TinkBaseline() {}

  /**
   * Tink's kernels over {@code plaintext}, or empty when {@code loader} cannot see Tink.
   *
   * @param loader where to look for Tink: the benchmark's own loader, or in tests one that hides it
   */
  static Optional<Kernels> load(ClassLoader loader, byte[] key, int segmentSize, byte[] plaintext)
      throws IOException, GeneralSecurityException {
    try {
      Class.forName(TINK_CLASS, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      return Optional.empty();
    }
    return Optional.of(new TinkStreamingKernels(key, segmentSize, plaintext));
  }
}
