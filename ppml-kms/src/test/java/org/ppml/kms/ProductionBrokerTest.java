package org.ppml.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.attestation.pcs.CollateralRequest;
import org.ppml.attestation.quote.Quote;
import org.ppml.attestation.simulated.DevHome;
import org.ppml.attestation.testing.FakePccs;
import org.ppml.kms.http.KeyBrokerServer;
import org.ppml.kms.testing.TestBackend;
import org.ppml.kmsclient.broker.BrokerTls;
import org.ppml.kmsclient.broker.KbsErrorType;
import org.ppml.kmsclient.broker.KeyBrokerAdminClient;
import org.ppml.kmsclient.broker.KeyBrokerClient;
import org.ppml.kmsclient.broker.KeyBrokerException;

/**
 * A broker outside dev mode: it trusts only the Intel root, takes collateral from a directory of
 * real bundles, prints no dev banner, and refuses simulated evidence even when the simulated
 * platform's own collateral is among the bundles.
 */
class ProductionBrokerTest {
  private static final Path VECTORS =
      Path.of(System.getProperty("ppml.testdata", "../../shared/testdata"))
          .resolve("dcap/phala-dcap-qvl");

  @TempDir Path tmp;

  @Test
  void simulatedEvidenceIsDeniedAgainstTheIntelRoot() throws Exception {
    DevHome dev = DevHome.init(tmp.resolve("dev"), Instant.now().minusSeconds(60));
    Path bundles = Files.createDirectories(tmp.resolve("collateral"));
    Files.copy(VECTORS.resolve("sgx_quote_collateral.json"), bundles.resolve("intel-sgx.json"));
    // The dev platform's own collateral too: a bundle cannot vouch for a chain the root rejects.
    Files.copy(dev.collateralFile(), bundles.resolve("dev.json"));
    KeyBrokerConfig config =
        TestBackend.onBackend(
            KeyBrokerConfig.builder(tmp.resolve("data")).collateralFile(bundles).build());
    ByteArrayOutputStream banner = new ByteArrayOutputStream();
    try (KeyBrokerServer server =
        KeyBrokerServer.start(config, new PrintStream(banner, true, StandardCharsets.UTF_8))) {
      String printed = banner.toString(StandardCharsets.UTF_8);
      assertFalse(printed.contains("development mode"), printed);
      URI url = URI.create(server.url());
      KeyBrokerClient client =
          new KeyBrokerClient(
              url,
              BrokerTls.pinned(server.tlsSha256()),
              dev.provider(BrokerFixture.MRENCLAVE),
              Duration.ofSeconds(30));
      KeyBrokerException e = assertThrows(KeyBrokerException.class, client::attest);
      // KBS 0.4.0 as Trustee answers it: 401 AttestationError, the failed step in the detail.
      assertEquals(401, e.status());
      assertEquals(KbsErrorType.AttestationError.uri(), e.problemType());
      assertTrue(
          e.getMessage().contains("quote: ") && e.getMessage().contains("PCK_CERT_CHAIN"),
          e.getMessage());
      KeyBrokerAdminClient admin =
          new KeyBrokerAdminClient(
              url,
              BrokerTls.pinned(server.tlsSha256()),
              server.firstAdminToken().orElseThrow(),
              Duration.ofSeconds(30));
      List<JsonNode> audit = admin.audit(null);
      assertTrue(
          audit.stream()
              .anyMatch(
                  r ->
                      r.get("event").asText().equals("attest")
                          && r.get("decision").asText().equals("deny")),
          audit.toString());
    }
  }

  @Test
  void collateralComesFromThePccsThroughTheCacheAndSimulatedEvidenceIsStillDenied()
      throws Exception {
    DevHome dev = DevHome.init(tmp.resolve("dev"), Instant.now().minusSeconds(60));
    // The PCCS serves collateral for exactly the platform the simulated quote names.
    byte[] quote = dev.provider(BrokerFixture.MRENCLAVE).evidence(new byte[64]).quote();
    CollateralRequest platform = CollateralRequest.forQuote(Quote.parse(quote));
    try (FakePccs pccs =
        FakePccs.serve(
            dev.collateral(),
            "sgx",
            platform.fmspcHex().toUpperCase(java.util.Locale.ROOT),
            platform.pckCa().pcsName())) {
      Path data = tmp.resolve("data");
      KeyBrokerConfig config =
          TestBackend.onBackend(KeyBrokerConfig.builder(data).pccsUrl(pccs.base()).build());
      try (KeyBrokerServer server =
          KeyBrokerServer.start(
              config, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
        KeyBrokerClient client =
            new KeyBrokerClient(
                URI.create(server.url()),
                BrokerTls.pinned(server.tlsSha256()),
                dev.provider(BrokerFixture.MRENCLAVE),
                Duration.ofSeconds(30));
        for (int i = 0; i < 2; i++) {
          KeyBrokerException e = assertThrows(KeyBrokerException.class, client::attest);
          assertEquals(401, e.status());
          assertTrue(e.getMessage().contains("PCK_CERT_CHAIN"), e.getMessage());
        }
        // TCB Info, QE Identity, PCK CRL and root CRL fetched once, then served from the cache.
        assertEquals(4, pccs.requests());
        try (var cached = Files.list(data.resolve("collateral-cache"))) {
          assertEquals(1, cached.count());
        }
      }
    }
  }
}
