package org.ppml.graphene.attestation;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.graphene.TestVectors;

/** Against a fake /dev/attestation directory, since there is no SGX device here. */
class GramineAttestationDeviceTest {

  private static Path fakeDevice(Path dir, String type, byte[] quote) throws Exception {
    Files.writeString(dir.resolve("attestation_type"), type);
    Files.write(dir.resolve("user_report_data"), new byte[64]);
    Files.write(dir.resolve("quote"), quote);
    return dir;
  }

  @Test
  void writesReportDataAndReadsTheQuote(@TempDir Path dir) throws Exception {
    byte[] quote = TestVectors.read("dcap/phala-dcap-qvl/sgx_quote");
    GramineAttestationDevice dev = new GramineAttestationDevice(fakeDevice(dir, "dcap\n", quote));
    assertTrue(dev.isPresent());
    assertEquals("dcap", dev.attestationType());
    byte[] reportData = new byte[64];
    Arrays.fill(reportData, (byte) 0xab);
    assertArrayEquals(quote, dev.quote(reportData));
    assertArrayEquals(reportData, Files.readAllBytes(dir.resolve("user_report_data")));
  }

  @Test
  void refusesWhatIsNotADcapQuote(@TempDir Path dir) throws Exception {
    byte[] quote = TestVectors.read("dcap/phala-dcap-qvl/sgx_quote");
    GramineAttestationException e =
        assertThrows(
            GramineAttestationException.class,
            () -> new GramineAttestationDevice(fakeDevice(dir, "none", quote)).quote(new byte[64]));
    assertTrue(e.getMessage().contains("sgx.remote_attestation"), e.getMessage());

    Files.writeString(dir.resolve("attestation_type"), "dcap");
    Files.write(dir.resolve("quote"), new byte[100]);
    assertThrows(
        GramineAttestationException.class,
        () -> new GramineAttestationDevice(dir).quote(new byte[64]));
    byte[] wrongVersion = quote.clone();
    wrongVersion[0] = 9;
    Files.write(dir.resolve("quote"), wrongVersion);
    assertThrows(
        GramineAttestationException.class,
        () -> new GramineAttestationDevice(dir).quote(new byte[64]));
    Files.write(dir.resolve("quote"), new byte[GramineAttestationDevice.MAX_QUOTE_SIZE + 1]);
    e =
        assertThrows(
            GramineAttestationException.class,
            () -> new GramineAttestationDevice(dir).quote(new byte[64]));
    assertTrue(e.getMessage().contains("more than"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new GramineAttestationDevice(dir).quote(new byte[63]));
  }

  @Test
  void absentOutsideGramine(@TempDir Path dir) {
    GramineAttestationDevice dev = new GramineAttestationDevice(dir.resolve("nope"));
    assertFalse(dev.isPresent());
    assertThrows(GramineAttestationException.class, dev::attestationType);
    assertThrows(GramineAttestationException.class, () -> dev.quote(new byte[64]));
  }

  /**
   * The layout gramine-direct shows (libos/src/fs/dev/attestation.c: the directory and its keys/,
   * no attestation_type, report or quote); the real one is checked by GramineQuickstartTest.
   */
  @Test
  void gramineDirectIsRecognisedAndSaysSo(@TempDir Path dir) throws Exception {
    Path dev = Files.createDirectories(dir.resolve("attestation/keys"));
    GramineAttestationDevice d = new GramineAttestationDevice(dev.getParent());
    assertEquals(GramineAttestationDevice.Runtime.GRAMINE_DIRECT, d.runtime());
    assertFalse(d.isPresent());
    GramineAttestationException e =
        assertThrows(GramineAttestationException.class, () -> d.quote(new byte[64]));
    assertTrue(e.getMessage().contains("Gramine without SGX (gramine-direct)"), e.getMessage());
    assertTrue(e.getMessage().contains("simulated"), e.getMessage());
    assertEquals(
        GramineAttestationDevice.Runtime.NONE,
        new GramineAttestationDevice(dir.resolve("nope")).runtime());
  }
}
