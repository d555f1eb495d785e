package org.ppml.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.ppml.cli.bench.CryptoThroughput;
import org.ppml.crypto.provider.CryptoProvider;
import org.ppml.crypto.provider.CryptoProviders;

/**
 * Single-thread AES-256-GCM throughput over a 32 MiB data set in 256 KiB segments: (a) raw {@code
 * Cipher}, (b) our stream, (c) Tink's stream, for each provider. Each operation processes the whole
 * data set, so MB/s = 32 / (seconds per op). The kernels are the ones {@code ppml bench crypto}
 * runs.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar CryptoThroughputBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 6, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
public class CryptoThroughputBenchmark {
  @Param({"accp", "jdk"})
  public String provider;

  private CryptoThroughput kernels;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    CryptoProvider p =
        provider.equals("accp")
            ? CryptoProviders.accp()
                .orElseThrow(() -> new IllegalStateException("ACCP unavailable here"))
            : CryptoProviders.jdk();
    kernels = new CryptoThroughput(p, 32 << 20);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    kernels.close();
  }

  @Benchmark
  public long aRawDecrypt() throws Exception {
    return kernels.rawDecrypt();
  }

  @Benchmark
  public long bStreamDecrypt() throws Exception {
    return kernels.streamDecrypt();
  }

  @Benchmark
  public long cTinkDecrypt() throws Exception {
    return kernels.tinkDecrypt();
  }

  @Benchmark
  public long aRawEncrypt() throws Exception {
    return kernels.rawEncrypt();
  }

  @Benchmark
  public long bStreamEncrypt() throws Exception {
    return kernels.streamEncrypt();
  }

  @Benchmark
  public long cTinkEncrypt() throws Exception {
    return kernels.tinkEncrypt();
  }
}
