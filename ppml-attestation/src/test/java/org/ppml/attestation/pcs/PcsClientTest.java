package org.ppml.attestation.pcs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.attestation.TestVectors;
import org.ppml.attestation.collateral.CollateralBundle;
import org.ppml.attestation.collateral.CollateralFormatException;
import org.ppml.attestation.dcap.CrlMode;
import org.ppml.attestation.dcap.PckCertificate;
import org.ppml.attestation.dcap.PinnedRoot;
import org.ppml.attestation.dcap.QuoteVerifier;
import org.ppml.attestation.dcap.VerificationResult;
import org.ppml.attestation.quote.Quote;
import org.ppml.attestation.quote.TeeType;
import org.ppml.attestation.testing.FakePccs;

/** A loopback HTTP server plays PCCS, serving the shared test data the way PCS v4 does. */
class PcsClientTest {
  private FakePccs pccs;

  @AfterEach
  void stop() {
    if (pccs != null) {
      pccs.close();
    }
  }

  private URI serve(CollateralBundle b, String tee, String fmspcUpper, String ca)
      throws IOException {
    pccs = FakePccs.serve(b, tee, fmspcUpper, ca);
    return pccs.base();
  }

  @Test
  void fetchedSgxCollateralVerifiesTheRealQuote() throws Exception {
    TestVectors v = TestVectors.SGX_V3;
    CollateralBundle original = CollateralBundle.parse(v.collateralBytes());
    URI base = serve(original, "sgx", "00A067110000", "processor");
    Quote quote = Quote.parse(v.quoteBytes());
    CollateralRequest req = CollateralRequest.forQuote(quote);
    assertEquals(
        new CollateralRequest(TeeType.SGX, "00a067110000", PckCertificate.Issuer.PROCESSOR), req);
    CollateralBundle fetched = new PcsClient(base).fetch(req);
    assertEquals(
        original.tcbInfo().rawJson(),
        fetched.tcbInfo().rawJson(),
        "raw signed text is kept exactly");
    VerificationResult r = QuoteVerifier.intel().verify(quote, fetched, v.at);
    assertTrue(r.verified());
  }

  @Test
  void fetchedTdxCollateralUsesTdxPathsAndThePlatformCrl() throws Exception {
    TestVectors v = TestVectors.TDX_V4;
    URI base =
        serve(CollateralBundle.parse(v.collateralBytes()), "tdx", "B0C06F000000", "platform");
    Quote quote = Quote.parse(v.quoteBytes());
    CollateralBundle fetched = new PcsClient(base).fetch(CollateralRequest.forQuote(quote));
    assertTrue(QuoteVerifier.intel().verify(quote, fetched, v.at).verified());
  }

  @Test
  void cacheServesUntilShortlyBeforeNextUpdate(@TempDir Path dir) throws Exception {
    TestVectors v = TestVectors.SGX_V3;
    URI base =
        serve(CollateralBundle.parse(v.collateralBytes()), "sgx", "00A067110000", "processor");
    CollateralCache cache = new CollateralCache(dir, new PcsClient(base), Duration.ofHours(1));
    CollateralRequest req = CollateralRequest.forQuote(Quote.parse(v.quoteBytes()));
    Instant early = Instant.parse("2025-07-01T00:00:00Z");
    cache.get(req, early);
    assertEquals(4, pccs.requests());
    CollateralBundle cached = cache.get(req, early.plusSeconds(3600));
    assertEquals(4, pccs.requests(), "served from the disk cache");
    assertTrue(Files.exists(dir.resolve("sgx-00a067110000-processor.json")));
    // QE Identity's nextUpdate is the earliest: 2025-07-19T10:01:18Z; within the margin we refetch.
    assertEquals(Instant.parse("2025-07-19T10:01:18Z"), CollateralCache.earliestNextUpdate(cached));
    cache.get(req, Instant.parse("2025-07-19T09:30:00Z"));
    assertEquals(8, pccs.requests());
    // A damaged cache entry is replaced.
    Files.writeString(dir.resolve("sgx-00a067110000-processor.json"), "{garbage");
    cache.get(req, early);
    assertEquals(12, pccs.requests());
  }

  /** Issue 13 §1 in the PCCS cache: a CRL-less entry serves CRL mode off, and only off. */
  @Test
  void aCacheEntryWithoutCrlsServesCrlModeOffAndIsRefetchedOtherwise(@TempDir Path dir)
      throws Exception {
    TestVectors v = TestVectors.SGX_V3;
    CollateralBundle full = CollateralBundle.parse(v.collateralBytes());
    URI base = serve(full, "sgx", "00A067110000", "processor");
    CollateralRequest req = CollateralRequest.forQuote(Quote.parse(v.quoteBytes()));
    ObjectNode crlLess = full.toJson();
    CollateralBundle.REVOCATION_FIELDS.forEach(crlLess::remove);
    Path entry = dir.resolve(req.cacheKey());
    Files.writeString(entry, crlLess.toString());
    Instant early = Instant.parse("2025-07-01T00:00:00Z");

    CollateralCache off =
        new CollateralCache(dir, new PcsClient(base), Duration.ofHours(1), CrlMode.OFF);
    CollateralBundle served = off.get(req, early);
    assertEquals(0, pccs.requests(), "served from the cache as it is");
    assertEquals(CollateralBundle.REVOCATION_FIELDS, served.missingRevocationFields());
    VerificationResult r =
        new QuoteVerifier(PinnedRoot.intel(), CrlMode.OFF).verify(v.quoteBytes(), served, v.at);
    assertTrue(r.verified());

    for (CrlMode mode : new CrlMode[] {CrlMode.STRICT, CrlMode.LENIENT}) {
      Files.writeString(entry, crlLess.toString());
      int before = pccs.requests();
      CollateralBundle fresh =
          new CollateralCache(dir, new PcsClient(base), Duration.ofHours(1), mode).get(req, early);
      assertEquals(
          before + 4, pccs.requests(), mode + ": the entry cannot serve, so it is fetched");
      assertEquals(List.of(), fresh.missingRevocationFields(), mode.name());
      assertEquals(
          List.of(),
          CollateralBundle.parse(Files.readAllBytes(entry)).missingRevocationFields(),
          mode + ": and the cache now holds the bundle with its CRLs");
      assertTrue(
          new QuoteVerifier(PinnedRoot.intel(), mode)
              .verify(v.quoteBytes(), fresh, v.at)
              .verified());
    }
    // The broker's constructor is strict.
    Files.writeString(entry, crlLess.toString());
    int before = pccs.requests();
    new CollateralCache(dir, new PcsClient(base), Duration.ofHours(1)).get(req, early);
    assertEquals(before + 4, pccs.requests());
  }

  @Test
  void serverErrorsAreIoErrorsNamingTheResource() throws Exception {
    TestVectors v = TestVectors.SGX_V3;
    URI base =
        serve(CollateralBundle.parse(v.collateralBytes()), "sgx", "00A067110000", "processor");
    pccs.failWith("/sgx/certification/v4/qe/identity", 503);
    CollateralRequest req = CollateralRequest.forQuote(Quote.parse(v.quoteBytes()));
    IOException e = assertThrows(IOException.class, () -> new PcsClient(base).fetch(req));
    assertTrue(
        e.getMessage().contains("QE Identity") && e.getMessage().contains("503"), e.getMessage());
    // A wrong FMSPC finds nothing.
    CollateralRequest other =
        new CollateralRequest(TeeType.SGX, "000000000000", PckCertificate.Issuer.PROCESSOR);
    assertThrows(IOException.class, () -> new PcsClient(base).fetch(other));
  }

  @Test
  void envelopeKeepsTheExactSignedText() throws Exception {
    String inner = "{ \"a\" : [1, {\"b\":\"}\"}] ,\"c\":2 }";
    SignedJsonEnvelope e =
        SignedJsonEnvelope.parse(
            "{\"x\":1, \"tcbInfo\":" + inner + ",\"signature\":\"ab\"}", "tcbInfo", "TCB Info");
    assertEquals(inner, e.rawBody());
    assertEquals("ab", e.signatureHex());
    assertThrows(
        CollateralFormatException.class,
        () -> SignedJsonEnvelope.parse("{\"tcbInfo\":{}", "tcbInfo", "x"));
    assertThrows(
        CollateralFormatException.class, () -> SignedJsonEnvelope.parse("[]", "tcbInfo", "x"));
    assertThrows(
        CollateralFormatException.class,
        () -> SignedJsonEnvelope.parse("{\"tcbInfo\":{}}", "tcbInfo", "x"));
  }
}
