package org.ppml.attestation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The real DCAP vectors in {@code ../shared/testdata/dcap/phala-dcap-qvl} and their pinned times.
 */
public enum TestVectors {
  SGX_V3(
      "sgx_quote",
      "sgx_quote_collateral.json",
      "2025-07-19T10:01:17Z",
      "2025-06-19T10:56:11Z",
      "2025-07-19T10:01:18Z"),
  TDX_V4(
      "tdx_quote",
      "tdx_quote_collateral.json",
      "2025-07-19T10:00:34Z",
      "2025-06-19T10:32:27Z",
      "2025-07-19T10:00:35Z"),
  TDX_V5_OUTDATED(
      "tdx_quote_outdated",
      "tdx_quote_outdated_collateral.json",
      "2026-03-20T10:41:14Z",
      "2026-02-18T10:58:51Z",
      "2026-03-20T10:41:15Z");

  private final String quote;
  private final String collateral;

  /** The time at which the README says to verify. */
  public final Instant at;

  /** First instant at which every piece of collateral is valid. */
  public final Instant windowStart;

  /** Last instant at which every piece of collateral is valid. */
  public final Instant windowEnd;

  TestVectors(String quote, String collateral, String at, String windowStart, String windowEnd) {
    this.quote = quote;
    this.collateral = collateral;
    this.at = Instant.parse(at);
    this.windowStart = Instant.parse(windowStart);
    this.windowEnd = Instant.parse(windowEnd);
  }

  /**
   * {@code ppml.testdata} as set by the parent POM, else {@code ../../shared/testdata} from the
   * module.
   */
  public static Path testdata() {
    String prop = System.getProperty("ppml.testdata");
    Path p = prop != null && !prop.isBlank() ? Path.of(prop) : Path.of("../../shared/testdata");
    if (!Files.isDirectory(p.resolve("dcap"))) {
      Path fallback = Path.of("../../shared/testdata");
      if (Files.isDirectory(fallback.resolve("dcap"))) {
        return fallback;
      }
    }
    return p;
  }

  public static Path dcapDir() {
    return testdata().resolve("dcap/phala-dcap-qvl");
  }

  public byte[] quoteBytes() {
    return read(dcapDir().resolve(quote));
  }

  public byte[] collateralBytes() {
    return read(dcapDir().resolve(collateral));
  }

  public static byte[] intelRootDer() {
    return read(dcapDir().resolve("TrustedRootCA.der"));
  }

  private static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
