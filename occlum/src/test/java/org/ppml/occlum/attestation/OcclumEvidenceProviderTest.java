package org.ppml.occlum.attestation;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.attestation.evidence.Evidence;
import org.ppml.attestation.evidence.EvidenceContext;
import org.ppml.attestation.evidence.EvidenceException;
import org.ppml.attestation.evidence.EvidenceProvider;
import org.ppml.attestation.evidence.EvidenceProviders;
import org.ppml.attestation.quote.Quote;
import org.ppml.attestation.quote.TeeType;
import org.ppml.attestation.simulated.DevHome;
import org.ppml.attestation.simulated.SimulatedSgxProvider;

/**
 * The occlum provider against a fake kernel whose quotes are real-format v3 quotes (simulated SGX)
 * binding whatever report data the ioctl argument points at.
 */
class OcclumEvidenceProviderTest {
  private static final String DEVICE = "/dev/sgx";
  private static SimulatedSgxProvider simulated;

  @TempDir static Path devHome;

  @BeforeAll
  static void devHome() throws Exception {
    byte[] mrEnclave = new byte[32];
    Arrays.fill(mrEnclave, (byte) 0x5a);
    simulated = DevHome.init(devHome.resolve("dev"), Instant.now()).provider(mrEnclave);
  }

  private static byte[] simulatedQuote(byte[] reportData) {
    try {
      return simulated.evidence(reportData).quote();
    } catch (EvidenceException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] reportData(int fill) {
    byte[] b = new byte[64];
    Arrays.fill(b, (byte) fill);
    return b;
  }

  @Test
  void theQuoteBindsTheReportDataWrittenThroughTheStruct() throws Exception {
    FakeOcclumKernel kernel =
        new FakeOcclumKernel(DEVICE, OcclumEvidenceProviderTest::simulatedQuote);
    OcclumEvidenceProvider provider = new OcclumEvidenceProvider(() -> kernel, DEVICE);
    byte[] reportData = reportData(0x11);
    reportData[0] = 1;
    reportData[63] = (byte) 0xfe;
    Evidence e = provider.evidence(reportData);
    assertEquals(TeeType.SGX, e.teeType());
    assertEquals("occlum", e.provider());
    assertArrayEquals(reportData, kernel.lastReportData);
    Quote q = Quote.parse(e.quote());
    assertArrayEquals(reportData, q.body().reportData());
    assertEquals(1, kernel.opens);
    assertTrue(kernel.allClosed());
  }

  @Test
  void aLargerAnnouncedBufferIsCutToTheReportedLength() throws Exception {
    FakeOcclumKernel kernel =
        new FakeOcclumKernel(DEVICE, OcclumEvidenceProviderTest::simulatedQuote);
    int exact = (int) kernel.announcedSize;
    kernel.announcedSize = exact + 4096;
    byte[] quote = new OcclumEvidenceProvider(() -> kernel, DEVICE).quote(reportData(2));
    assertEquals(exact, quote.length);
    assertArrayEquals(reportData(2), Quote.parse(quote).body().reportData());
  }

  @Test
  void sizesOutOfBoundsAreTypedErrors() {
    FakeOcclumKernel kernel =
        new FakeOcclumKernel(DEVICE, OcclumEvidenceProviderTest::simulatedQuote);
    OcclumEvidenceProvider provider = new OcclumEvidenceProvider(() -> kernel, DEVICE);
    kernel.announcedSize = 0;
    assertEquals(
        SgxDeviceException.Reason.BAD_QUOTE_SIZE,
        assertThrows(SgxDeviceException.class, () -> provider.quote(reportData(0))).reason());
    kernel.announcedSize = OcclumEvidenceProvider.MAX_QUOTE_SIZE + 1L;
    assertEquals(
        SgxDeviceException.Reason.BAD_QUOTE_SIZE,
        assertThrows(SgxDeviceException.class, () -> provider.quote(reportData(0))).reason());
    kernel.announcedSize = 0xffffffffL; // u32 max: must not turn negative
    assertEquals(
        SgxDeviceException.Reason.BAD_QUOTE_SIZE,
        assertThrows(SgxDeviceException.class, () -> provider.quote(reportData(0))).reason());

    FakeOcclumKernel lying =
        new FakeOcclumKernel(DEVICE, OcclumEvidenceProviderTest::simulatedQuote);
    lying.reportedLength = lying.announcedSize + 1;
    SgxDeviceException e =
        assertThrows(
            SgxDeviceException.class,
            () -> new OcclumEvidenceProvider(() -> lying, DEVICE).quote(reportData(0)));
    assertEquals(SgxDeviceException.Reason.BAD_QUOTE_SIZE, e.reason());
    lying.reportedLength = 0;
    assertThrows(
        SgxDeviceException.class,
        () -> new OcclumEvidenceProvider(() -> lying, DEVICE).quote(reportData(0)));
    assertTrue(
        kernel.allClosed() && lying.allClosed(), "the descriptor is closed on every failure");
  }

  @Test
  void deviceAndIoctlFailuresCarryErrno() {
    FakeOcclumKernel kernel =
        new FakeOcclumKernel(DEVICE, OcclumEvidenceProviderTest::simulatedQuote);
    SgxDeviceException e =
        assertThrows(
            SgxDeviceException.class,
            () -> new OcclumEvidenceProvider(() -> kernel, "/dev/nosgx").quote(reportData(0)));
    assertEquals(SgxDeviceException.Reason.DEVICE_UNAVAILABLE, e.reason());
    assertEquals(FakeOcclumKernel.ENOENT, e.errno());

    kernel.genErrno = 5; // EIO: e.g. the host's quote provider is down
    e =
        assertThrows(
            SgxDeviceException.class,
            () -> new OcclumEvidenceProvider(() -> kernel, DEVICE).quote(reportData(0)));
    assertEquals(SgxDeviceException.Reason.IOCTL_FAILED, e.reason());
    assertEquals(5, e.errno());
    assertTrue(e.getMessage().contains("SGXIOC_GEN_DCAP_QUOTE"), e.getMessage());
    assertTrue(kernel.allClosed());

    EvidenceException wrapped =
        assertThrows(
            EvidenceException.class,
            () -> new OcclumEvidenceProvider(() -> kernel, DEVICE).evidence(reportData(0)));
    assertInstanceOf(SgxDeviceException.class, wrapped.getCause());
    assertThrows(
        EvidenceException.class,
        () -> new OcclumEvidenceProvider(() -> kernel, DEVICE).evidence(new byte[32]));
  }

  @Test
  void aQuoteForOtherReportDataIsRefused() {
    FakeOcclumKernel stale = new FakeOcclumKernel(DEVICE, rd -> simulatedQuote(reportData(0x77)));
    EvidenceException e =
        assertThrows(
            EvidenceException.class,
            () -> new OcclumEvidenceProvider(() -> stale, DEVICE).evidence(reportData(1)));
    assertTrue(e.getMessage().contains("other report data"), e.getMessage());
  }

  @Test
  void realLibcThroughJna(@TempDir Path dir) throws Exception {
    SgxDeviceException e =
        assertThrows(
            SgxDeviceException.class,
            () ->
                new OcclumEvidenceProvider(SgxDeviceLibc::system, dir.resolve("sgx").toString())
                    .quote(reportData(0)));
    assertEquals(SgxDeviceException.Reason.DEVICE_UNAVAILABLE, e.reason());
    assertEquals(FakeOcclumKernel.ENOENT, e.errno());

    // /dev/null is no SGX device: the kernel refuses the request with ENOTTY.
    e =
        assertThrows(
            SgxDeviceException.class,
            () ->
                new OcclumEvidenceProvider(SgxDeviceLibc::system, "/dev/null")
                    .quote(reportData(0)));
    assertEquals(SgxDeviceException.Reason.IOCTL_FAILED, e.reason());
    assertEquals(FakeOcclumKernel.ENOTTY, e.errno());
  }

  @Test
  void autoPicksOcclumWhereDevSgxIsADevice(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("dev"));
    EvidenceContext ctx = new EvidenceContext(root, false, devHome.resolve("dev"));
    Files.createDirectory(root.resolve("dev/sgx"));
    assertThrows(
        EvidenceException.class,
        () -> EvidenceProviders.select("auto", ctx),
        "an SGX host's /dev/sgx directory is not Occlum");
    Files.delete(root.resolve("dev/sgx"));
    Files.createFile(root.resolve("dev/sgx"));
    assertEquals("occlum", EvidenceProviders.select("auto", ctx).name());

    FakeOcclumKernel kernel =
        new FakeOcclumKernel(
            root.resolve("dev/sgx").toString(), OcclumEvidenceProviderTest::simulatedQuote);
    EvidenceProvider p =
        EvidenceProviders.select(
            "auto", ctx, java.util.List.of(new OcclumEvidenceProviderFactory(() -> kernel)));
    assertArrayEquals(
        reportData(9), Quote.parse(p.evidence(reportData(9)).quote()).body().reportData());
  }
}
