package org.ppml.cli.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ppml.crypto.provider.CryptoProvider;

/**
 * Runs the {@link CryptoThroughput} kernels round-robin within a time budget and reports GB/s and
 * the ratios the foundation issue sets targets for: stream vs raw and stream vs Tink.
 *
 * <p>Kernels are interleaved (a, b, c, a, b, c…) rather than run one after another, so that a
 * noisy neighbour slows all of them alike and the ratios stay meaningful on a shared machine.
 * Each kernel's throughput is the median of its rounds.
 */
public final class CryptoBenchmark {
  /** Throughputs in GB/s (10^9 bytes per second) for one provider. */
  public record Result(
      String provider,
      double rawDecrypt,
      double streamDecrypt,
      double tinkDecrypt,
      double rawEncrypt,
      double streamEncrypt,
      double tinkEncrypt) {
    public double decryptStreamVsRaw() {
      return streamDecrypt / rawDecrypt;
    }

    public double decryptStreamVsTink() {
      return streamDecrypt / tinkDecrypt;
    }

    public double encryptStreamVsRaw() {
      return streamEncrypt / rawEncrypt;
    }

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
   * @param warmupMillis time spent before measuring (JIT)
   * @param measureMillis time spent measuring
   */
  public static Result run(CryptoProvider provider, int dataBytes, long warmupMillis, long measureMillis)
      throws Exception {
    try (CryptoThroughput t = new CryptoThroughput(provider, dataBytes)) {
      Map<String, Kernel> kernels = new LinkedHashMap<>();
      kernels.put("rawDecrypt", t::rawDecrypt);
      kernels.put("streamDecrypt", t::streamDecrypt);
      kernels.put("tinkDecrypt", t::tinkDecrypt);
      kernels.put("rawEncrypt", t::rawEncrypt);
      kernels.put("streamEncrypt", t::streamEncrypt);
      kernels.put("tinkEncrypt", t::tinkEncrypt);
      Map<String, List<Double>> rates = new LinkedHashMap<>();
      kernels.keySet().forEach(k -> rates.put(k, new ArrayList<>()));
      long sink = 0;
      long warmupEnd = System.nanoTime() + warmupMillis * 1_000_000;
      while (System.nanoTime() < warmupEnd) {
        for (Kernel k : kernels.values()) {
          sink += k.run();
        }
      }
      long end = System.nanoTime() + measureMillis * 1_000_000;
      do {
        for (Map.Entry<String, Kernel> e : kernels.entrySet()) {
          long start = System.nanoTime();
          sink += e.getValue().run();
          long nanos = System.nanoTime() - start;
          rates.get(e.getKey()).add(t.bytes() / (double) nanos);
        }
      } while (System.nanoTime() < end);
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

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
