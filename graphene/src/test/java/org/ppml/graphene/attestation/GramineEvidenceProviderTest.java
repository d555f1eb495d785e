package org.ppml.graphene.attestation;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.attestation.evidence.Evidence;
import org.ppml.attestation.evidence.EvidenceContext;
import org.ppml.attestation.evidence.EvidenceException;
import org.ppml.attestation.evidence.EvidenceProvider;
import org.ppml.attestation.evidence.EvidenceProviders;
import org.ppml.attestation.quote.Quote;
import org.ppml.attestation.quote.TeeType;
import org.ppml.graphene.TestVectors;

/** The gramine provider and {@code auto} over a fake root holding a fake /dev/attestation. */
class GramineEvidenceProviderTest {

  private static byte[] fakeGramine(Path root) throws Exception {
    byte[] quote = TestVectors.read("dcap/phala-dcap-qvl/sgx_quote");
    Path dev = Files.createDirectories(root.resolve("dev/attestation"));
    Files.writeString(dev.resolve("attestation_type"), "dcap");
    Files.write(dev.resolve("user_report_data"), new byte[64]);
    Files.write(dev.resolve("quote"), quote);
    return quote;
  }

  @Test
  void autoPicksGramineAndItsQuoteCarriesTheReportData(@TempDir Path root) throws Exception {
    byte[] quote = fakeGramine(root);
    // A TDX interface as well: the enclave interface wins.
    Files.createDirectories(root.resolve("sys/kernel/config/tsm/report"));
    EvidenceProvider p =
        EvidenceProviders.select(
            "auto", new EvidenceContext(root, false, root.resolve("dev-home")));
    assertEquals("gramine", p.name());
    byte[] reportData = Quote.parse(quote).body().reportData();
    Evidence e = p.evidence(reportData);
    assertEquals(TeeType.SGX, e.teeType());
    assertEquals("gramine", e.provider());
    assertArrayEquals(reportData, Quote.parse(e.quote()).body().reportData());
    assertArrayEquals(
        reportData, Files.readAllBytes(root.resolve("dev/attestation/user_report_data")));
  }

  @Test
  void aQuoteForOtherReportDataIsRefused(@TempDir Path root) throws Exception {
    fakeGramine(root);
    EvidenceProvider p =
        EvidenceProviders.select("gramine", new EvidenceContext(root, false, root));
    EvidenceException e = assertThrows(EvidenceException.class, () -> p.evidence(new byte[64]));
    assertTrue(e.getMessage().contains("other report data"), e.getMessage());
    assertThrows(EvidenceException.class, () -> p.evidence(new byte[65]));
  }

  @Test
  void deviceErrorsBecomeEvidenceErrors(@TempDir Path root) throws Exception {
    fakeGramine(root);
    Files.writeString(root.resolve("dev/attestation/attestation_type"), "none");
    EvidenceProvider p =
        new GramineEvidenceProviderFactory().create(new EvidenceContext(root, false, root));
    EvidenceException e = assertThrows(EvidenceException.class, () -> p.evidence(new byte[64]));
    assertTrue(e.getMessage().contains("sgx.remote_attestation"), e.getMessage());
  }

  @Test
  void absentOutsideGramine(@TempDir Path root) {
    assertFalse(
        new GramineEvidenceProviderFactory().isAvailable(new EvidenceContext(root, false, root)));
  }
}
