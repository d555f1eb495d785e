package org.ppml.benchmarks;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.ppml.crypto.CryptoCounters;

/**
 * What the metrics seam adds to the decrypt path: the per-segment count ({@link
 * CryptoCounters#segmentDecrypted}, two {@code LongAdder} adds) against the AES-256-GCM decryption
 * of the one 256 KiB segment it accompanies, in the same run.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar SegmentCounterBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SegmentCounterBenchmark {
  private static final int SEGMENT = 256 * 1024;

  private Cipher cipher;
  private SecretKeySpec key;
  private byte[] nonce;
  private ByteBuffer ciphertext;
  private ByteBuffer plaintext;

  @Setup
  public void setUp() throws Exception {
    key = new SecretKeySpec(new byte[32], "AES");
    nonce = new byte[12];
    cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
    ciphertext = ByteBuffer.wrap(cipher.doFinal(new byte[SEGMENT - 16]));
    plaintext = ByteBuffer.allocate(SEGMENT);
  }

  /** One segment decrypted and authenticated (the work each count accompanies). */
  @Benchmark
  public int decryptSegment() throws Exception {
    ciphertext.rewind();
    plaintext.clear();
    cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce));
    return cipher.doFinal(ciphertext, plaintext);
  }

  /** The count added per segment. */
  @Benchmark
  public void countSegment() {
    CryptoCounters.segmentDecrypted(SEGMENT - 16);
  }
}
