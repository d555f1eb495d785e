package org.ppml.cli.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ppml.crypto.provider.CryptoProvider;

/**
 * Runs the {@link CryptoThroughput} kernels round-robin until a deadline and reports GB/s and the
 * ratios the foundation issue sets targets for: stream vs raw and stream vs Tink.
 *
 * <p>Kernels are interleaved (a, b, c, a, b, c…) rather than run one after another, so that a noisy
 * neighbour slows all of them alike and the ratios stay meaningful on a shared machine. Each
 * kernel's throughput is the median of its rounds.
 *
 * <p>The deadline covers everything: building the data set, warming up the JIT and measuring. A
 * caller that promises a wall-time bound (the CLI's "short version") can therefore keep it.
 */
public final class CryptoBenchmark {
  /** Share of the time left after setup that goes to warm-up; the rest is measured. */
  private static final double WARMUP_SHARE = 1.0 / 3;

  /**
   * Throughputs in GB/s (10^9 bytes per second) for one provider. The Tink figures are NaN when
   * Tink was not on the class path ({@link #tinkMeasured()}).
   */
  public record Result(
      String provider,
      double rawDecrypt,
      double streamDecrypt,
      double tinkDecrypt,
      double rawEncrypt,
      double streamEncrypt,
      double tinkEncrypt) {
    public boolean tinkMeasured() {
      return !Double.isNaN(tinkDecrypt) && !Double.isNaN(tinkEncrypt);
    }

    public double decryptStreamVsRaw() {
      return streamDecrypt / rawDecrypt;
    }

    /** NaN when Tink was not measured. */
    public double decryptStreamVsTink() {
      return streamDecrypt / tinkDecrypt;
    }

    public double encryptStreamVsRaw() {
      return streamEncrypt / rawEncrypt;
    }

    /** NaN when Tink was not measured. */
    public double encryptStreamVsTink() {
      return streamEncrypt / tinkEncrypt;
    }
  }

  @FunctionalInterface
  private interface Kernel {
    long run() throws Exception;
  }

  private CryptoBenchmark() {}

  /**
   * Measures one provider.
   *
   * @param dataBytes plaintext per kernel call
   * @param deadlineNanos {@link System#nanoTime()} by which setup, warm-up and measurement end; at
   *     least one measured round runs even when setup alone used up the time
   */
  public static Result run(CryptoProvider provider, int dataBytes, long deadlineNanos)
      throws Exception {
    return run(provider, dataBytes, deadlineNanos, CryptoBenchmark.class.getClassLoader());
  }

  /** As above, looking for Tink through {@code tinkLoader} (tests pass one that hides it). */
  static Result run(
      CryptoProvider provider, int dataBytes, long deadlineNanos, ClassLoader tinkLoader)
      throws Exception {
    try (CryptoThroughput t = new CryptoThroughput(provider, dataBytes, tinkLoader)) {
      Map<String, Kernel> kernels = new LinkedHashMap<>();
      kernels.put("rawDecrypt", t::rawDecrypt);
      kernels.put("streamDecrypt", t::streamDecrypt);
      if (t.hasTink()) {
        kernels.put("tinkDecrypt", t::tinkDecrypt);
      }
      kernels.put("rawEncrypt", t::rawEncrypt);
      kernels.put("streamEncrypt", t::streamEncrypt);
      if (t.hasTink()) {
        kernels.put("tinkEncrypt", t::tinkEncrypt);
      }
      Map<String, List<Double>> rates = new LinkedHashMap<>();
      kernels.keySet().forEach(k -> rates.put(k, new ArrayList<>()));
      long sink = 0;
      long afterSetup = System.nanoTime();
      long warmupEnd = afterSetup + (long) (Math.max(0, deadlineNanos - afterSetup) * WARMUP_SHARE);
      while (System.nanoTime() < warmupEnd) {
        for (Kernel k : kernels.values()) {
          sink += k.run();
        }
      }
      do {
        for (Map.Entry<String, Kernel> e : kernels.entrySet()) {
          long start = System.nanoTime();
          sink += e.getValue().run();
          long nanos = System.nanoTime() - start;
          rates.get(e.getKey()).add(t.bytes() / (double) nanos);
        }
      } while (System.nanoTime() < deadlineNanos);
      if (sink == 42) {
        System.err.print("");
      }
      return new Result(
          provider.description(),
          median(rates.get("rawDecrypt")),
          median(rates.get("streamDecrypt")),
          median(rates.get("tinkDecrypt")),
          median(rates.get("rawEncrypt")),
          median(rates.get("streamEncrypt")),
          median(rates.get("tinkEncrypt")));
    }
  }

  /** The median, or NaN for a kernel that did not run. */
  private static double median(List<Double> values) {
    if (values == null || values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
