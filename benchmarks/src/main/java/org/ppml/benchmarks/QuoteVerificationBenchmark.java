package org.ppml.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.ppml.attestation.collateral.CollateralBundle;
import org.ppml.attestation.dcap.QuoteVerifier;
import org.ppml.attestation.dcap.VerificationResult;

/**
 * Full DCAP verification of the real SGX v3 vector with cached collateral (parsed bundle; chain,
 * CRL and collateral signatures remembered after the first call), against one ECDSA P-256
 * verification with the JDK as the baseline: the quote's own signature is checked afresh on every
 * call, so one ECDSA verification is the floor of any honest repeat verification.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar QuoteVerificationBenchmark</pre>
 * (from the repository root, with ../shared/testdata beside it, or -Dppml.testdata=DIR)
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class QuoteVerificationBenchmark {
  private static final Instant AT = Instant.parse("2025-07-19T10:01:17Z");

  private byte[] quote;
  private CollateralBundle collateral;
  private QuoteVerifier verifier;
  private Signature jdkVerifier;
  private byte[] signedRegion;
  private byte[] signature;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Path dir = Path.of(System.getProperty("ppml.testdata", "../shared/testdata"), "dcap/phala-dcap-qvl");
    quote = Files.readAllBytes(dir.resolve("sgx_quote"));
    collateral = CollateralBundle.parse(Files.readAllBytes(dir.resolve("sgx_quote_collateral.json")));
    verifier = QuoteVerifier.intel();
    VerificationResult first = verifier.verify(quote, collateral, AT);
    if (!first.verified()) {
      throw new IllegalStateException("the SGX v3 vector must verify at " + AT);
    }
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = g.generateKeyPair();
    signedRegion = java.util.Arrays.copyOf(quote, 432);
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(pair.getPrivate());
    signer.update(signedRegion);
    signature = signer.sign();
    jdkVerifier = Signature.getInstance("SHA256withECDSA");
    jdkVerifier.initVerify(pair.getPublic());
  }

  @Benchmark
  public VerificationResult verifySgxV3() throws Exception {
    return verifier.verify(quote, collateral, AT);
  }

  @Benchmark
  public boolean ecdsaP256Baseline() throws Exception {
    jdkVerifier.update(signedRegion);
    return jdkVerifier.verify(signature);
  }
}
