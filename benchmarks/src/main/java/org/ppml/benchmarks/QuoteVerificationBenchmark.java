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
 * Full DCAP verification of the real SGX v3 vector with cached collateral (the bundle parsed once),
 * in two variants, against one ECDSA P-256 verification with the JDK as the baseline:
 *
 * <ul>
 *   <li>{@code verifySgxV3Warm}: the verifier's memory of checks that passed is kept across calls,
 *       so after the first call the PCK chain, CRL, TCB Info, QE Identity and QE report signatures
 *       are recognised rather than re-verified, and only the quote's own signature (new in every
 *       quote) is checked: a repeat platform.
 *   <li>{@code verifySgxV3NewPlatform}: the "cached collateral": TCB Info, QE Identity,
 *       CRLs and CA certificates checked once and remembered, while everything from the quote is
 *       checked every time (its PEM chain parsed, the PCK certificate, the QE report and the quote
 *       signatures): each quote from a platform never seen before.
 *   <li>{@code verifySgxV3Cold}: that memory is emptied before every call, so every signature is
 *       checked (three certificates, two CRLs, TCB Info, QE Identity, QE report, quote) and the PEM
 *       chains parsed: the first quote of a platform never seen before.
 * </ul>
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar QuoteVerificationBenchmark</pre>
 *
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
    Path dir =
        Path.of(System.getProperty("ppml.testdata", "../shared/testdata"), "dcap/phala-dcap-qvl");
    quote = Files.readAllBytes(dir.resolve("sgx_quote"));
    collateral =
        CollateralBundle.parse(Files.readAllBytes(dir.resolve("sgx_quote_collateral.json")));
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
  public VerificationResult verifySgxV3Warm() throws Exception {
    return verifier.verify(quote, collateral, AT);
  }

  @Benchmark
  public VerificationResult verifySgxV3NewPlatform() throws Exception {
    QuoteVerifier.forgetPlatformChecks();
    return verifier.verify(quote, collateral, AT);
  }

  @Benchmark
  public VerificationResult verifySgxV3Cold() throws Exception {
    // Emptying two small maps costs next to nothing beside the nine checks it forces.
    QuoteVerifier.forgetRememberedChecks();
    return verifier.verify(quote, collateral, AT);
  }

  @Benchmark
  public boolean ecdsaP256Baseline() throws Exception {
    jdkVerifier.update(signedRegion);
    return jdkVerifier.verify(signature);
  }
}
