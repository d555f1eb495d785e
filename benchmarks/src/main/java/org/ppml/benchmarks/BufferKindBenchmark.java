package org.ppml.benchmarks;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
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
import org.openjdk.jmh.annotations.Warmup;
import org.ppml.crypto.provider.CryptoProvider;
import org.ppml.crypto.provider.CryptoProviders;

/**
 * Why the segment buffers are heap buffers: one 256 KiB AES-256-GCM decryption with heap versus
 * direct {@code ByteBuffer}s, per provider. The heap variant is the baseline of the ratio.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar BufferKindBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(1)
public class BufferKindBenchmark {
  private static final int SEGMENT = 262_144;

  @Param({"accp", "jdk"})
  public String provider;

  @Param({"heap", "direct"})
  public String buffers;

  private Cipher cipher;
  private SecretKeySpec key;
  private final byte[] iv = new byte[12];
  private ByteBuffer ciphertext;
  private ByteBuffer out;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    CryptoProvider p =
        provider.equals("accp") ? CryptoProviders.accp().orElseThrow() : CryptoProviders.jdk();
    boolean direct = buffers.equals("direct");
    cipher = p.newAesGcm();
    key = new SecretKeySpec(new byte[32], "AES");
    ByteBuffer plaintext =
        direct ? ByteBuffer.allocateDirect(SEGMENT - 16) : ByteBuffer.allocate(SEGMENT - 16);
    ciphertext = direct ? ByteBuffer.allocateDirect(SEGMENT) : ByteBuffer.allocate(SEGMENT);
    out = direct ? ByteBuffer.allocateDirect(SEGMENT) : ByteBuffer.allocate(SEGMENT);
    cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
    cipher.doFinal(plaintext, ciphertext);
    ciphertext.flip();
  }

  @Benchmark
  public int decryptSegment() throws Exception {
    cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, iv));
    out.clear();
    return cipher.doFinal(ciphertext.duplicate(), out);
  }
}
