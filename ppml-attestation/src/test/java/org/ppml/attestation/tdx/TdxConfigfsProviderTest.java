package org.ppml.attestation.tdx;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.attestation.TestVectors;
import org.ppml.attestation.evidence.Evidence;
import org.ppml.attestation.evidence.EvidenceException;
import org.ppml.attestation.quote.Quote;
import org.ppml.attestation.quote.TeeType;

/** Against a fake configfs-tsm tree whose outblob is the real TDX v4 quote of the test vectors. */
class TdxConfigfsProviderTest {
  private static final byte[] TDX_QUOTE = TestVectors.TDX_V4.quoteBytes();

  private static byte[] reportDataOf(byte[] quote) throws Exception {
    return Quote.parse(quote).body().reportData();
  }

  @Test
  void writesInblobReadsOutblobAndRemovesTheEntry(@TempDir Path root) throws Exception {
    FakeConfigfsTsm kernel = new FakeConfigfsTsm(TDX_QUOTE, "tdx_guest");
    byte[] reportData = reportDataOf(TDX_QUOTE);
    Evidence e = new TdxConfigfsProvider(root, kernel).evidence(reportData);
    assertEquals(TeeType.TDX, e.teeType());
    assertEquals("tdx", e.provider());
    assertArrayEquals(TDX_QUOTE, e.quote());
    assertArrayEquals(reportData, Quote.parse(e.quote()).body().reportData());
    assertEquals(kernel.created, kernel.removed);
    assertFalse(Files.exists(kernel.created.get(0)));
  }

  @Test
  void inblobGetsExactlyTheReportData(@TempDir Path root) throws Exception {
    byte[] reportData = reportDataOf(TDX_QUOTE);
    FakeConfigfsTsm kernel =
        new FakeConfigfsTsm(TDX_QUOTE, "tdx_guest") {
          @Override
          public void remove(Path entry) throws IOException {
            assertArrayEquals(reportData, Files.readAllBytes(entry.resolve("inblob")));
            super.remove(entry);
          }
        };
    new TdxConfigfsProvider(root, kernel).evidence(reportData);
    assertEquals(1, kernel.removed.size());
  }

  @Test
  void refusesAQuoteForOtherReportData(@TempDir Path root) {
    FakeConfigfsTsm kernel = new FakeConfigfsTsm(TDX_QUOTE, "tdx_guest");
    EvidenceException e =
        assertThrows(
            EvidenceException.class,
            () -> new TdxConfigfsProvider(root, kernel).evidence(new byte[64]));
    assertTrue(e.getMessage().contains("other report data"), e.getMessage());
    assertEquals(kernel.created, kernel.removed, "the entry is removed on failure too");
  }

  @Test
  void refusesAnotherTsmProviderAndNonQuotes(@TempDir Path root) throws Exception {
    byte[] reportData = reportDataOf(TDX_QUOTE);
    EvidenceException e =
        assertThrows(
            EvidenceException.class,
            () ->
                new TdxConfigfsProvider(root, new FakeConfigfsTsm(TDX_QUOTE, "sev_guest"))
                    .evidence(reportData));
    assertTrue(e.getMessage().contains("sev_guest"), e.getMessage());

    e =
        assertThrows(
            EvidenceException.class,
            () ->
                new TdxConfigfsProvider(root, new FakeConfigfsTsm(new byte[100], "tdx_guest"))
                    .evidence(reportData));
    assertTrue(e.getMessage().contains("did not return a quote"), e.getMessage());

    byte[] sgx = TestVectors.SGX_V3.quoteBytes();
    e =
        assertThrows(
            EvidenceException.class,
            () ->
                new TdxConfigfsProvider(root, new FakeConfigfsTsm(sgx, "tdx_guest"))
                    .evidence(reportDataOf(sgx)));
    assertTrue(e.getMessage().contains("expected TDX"), e.getMessage());

    assertThrows(
        EvidenceException.class,
        () ->
            new TdxConfigfsProvider(root, new FakeConfigfsTsm(TDX_QUOTE, "tdx_guest"))
                .evidence(new byte[63]));
  }

  @Test
  void detectsAnotherWriterThroughGeneration(@TempDir Path root) throws Exception {
    byte[] reportData = reportDataOf(TDX_QUOTE);
    // outblob is a FIFO, so the "kernel" (a thread) produces the quote while the provider
    // reads it, and another writer bumps generation in the meantime.
    FakeConfigfsTsm kernel =
        new FakeConfigfsTsm(TDX_QUOTE, "tdx_guest") {
          @Override
          public Path create(Path reportRoot) throws IOException {
            Path entry = super.create(reportRoot);
            Path outblob = entry.resolve("outblob");
            Files.delete(outblob);
            mkfifo(outblob);
            Thread writer =
                new Thread(
                    () -> {
                      try {
                        try (var out = Files.newOutputStream(outblob)) {
                          Files.writeString(entry.resolve("generation"), "2\n");
                          out.write(TDX_QUOTE);
                        }
                      } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                      }
                    });
            writer.setDaemon(true);
            writer.start();
            return entry;
          }
        };
    EvidenceException e =
        assertThrows(
            EvidenceException.class,
            () -> new TdxConfigfsProvider(root, kernel).evidence(reportData));
    assertTrue(e.getMessage().contains("generation moved from 1 to 2"), e.getMessage());
    assertEquals(kernel.created, kernel.removed);
  }

  @Test
  void refusesAGenerationThatIsNotANumber(@TempDir Path root) throws Exception {
    FakeConfigfsTsm kernel =
        new FakeConfigfsTsm(TDX_QUOTE, "tdx_guest") {
          @Override
          public Path create(Path reportRoot) throws IOException {
            Path entry = super.create(reportRoot);
            Files.writeString(entry.resolve("generation"), "many");
            return entry;
          }
        };
    EvidenceException e =
        assertThrows(
            EvidenceException.class,
            () -> new TdxConfigfsProvider(root, kernel).evidence(reportDataOf(TDX_QUOTE)));
    assertTrue(e.getMessage().contains("not a generation number"), e.getMessage());
  }

  private static void mkfifo(Path path) throws IOException {
    try {
      Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
      if (p.waitFor() != 0) {
        throw new IOException("mkfifo failed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  @Test
  void cannotCreateAnEntryOutsideTdx(@TempDir Path root) {
    TdxConfigfsProvider provider =
        new TdxConfigfsProvider(root.resolve("missing"), TsmReportEntries.configfs());
    EvidenceException e =
        assertThrows(EvidenceException.class, () -> provider.evidence(new byte[64]));
    assertTrue(e.getMessage().contains("TDX guest"), e.getMessage());
  }

  @Test
  void realEntriesAreRandomDirectories(@TempDir Path root) throws Exception {
    TsmReportEntries configfs = TsmReportEntries.configfs();
    Path a = configfs.create(root);
    Path b = configfs.create(root);
    assertNotEquals(a, b);
    assertTrue(a.getFileName().toString().matches("ppml-[0-9a-f]{16}"));
    configfs.remove(a);
    configfs.remove(b);
    assertFalse(Files.exists(a));
  }
}
