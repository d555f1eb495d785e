package org.ppml.graphene.layout;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.ppml.enclave.sgx.SgxsMeasurement;
import org.ppml.enclave.sgx.SgxsReader;
import org.ppml.graphene.TestVectors;

class GramineMeasurerTest {
  private static final String DIR = "sigstruct/gramine-v1.9-a/";
  private static final String MRENCLAVE =
      "9e4eb3845bb3f1dd465ec59130b7bf0f9d445a2de892e8560be6acec39235757";

  @Test
  void measuresTheUpstreamVector() throws Exception {
    GramineMeasurement m =
        GramineMeasurer.measure(
            TestVectors.read(DIR + "a.manifest.sgx"), TestVectors.read(DIR + "libpal.so"));
    assertEquals(MRENCLAVE, m.mrEnclaveHex());
    assertEquals(0x10000000L, m.settings().enclaveSize());
    assertEquals(4, m.settings().maxThreads());
    assertFalse(m.settings().edmmEnable());
    assertTrue(m.attributes().attributes().debug());
  }

  @Test
  void layoutMatchesGramineSgxSignLog() throws Exception {
    GramineMeasurement m =
        GramineMeasurer.measure(
            TestVectors.read(DIR + "a.manifest.sgx"), TestVectors.read(DIR + "libpal.so"));
    String log = new String(TestVectors.read(DIR + "a.sign.log"), StandardCharsets.UTF_8);
    List<String> expected =
        log.lines()
            .dropWhile(l -> !l.equals("Memory:"))
            .skip(1)
            .takeWhile(l -> l.startsWith("    "))
            .map(String::strip)
            .collect(Collectors.toList());
    List<String> actual =
        m.layout().stream().map(MemoryArea::describe).collect(Collectors.toList());
    assertEquals(expected, actual);
  }

  @Test
  void reportFields() throws Exception {
    GramineMeasurement m =
        GramineMeasurer.measure(
            TestVectors.read(DIR + "a.manifest.sgx"), TestVectors.read(DIR + "libpal.so"));
    var f = GramineMeasurementReport.fields(m);
    assertEquals(MRENCLAVE, f.get("mrEnclave"));
    assertEquals(0x10000000L, f.get("enclaveSize"));
    @SuppressWarnings("unchecked")
    var layout = (List<java.util.Map<String, Object>>) f.get("layout");
    assertEquals(17, layout.size());
    assertEquals("000000000ffff000", layout.get(0).get("start"));
    assertEquals("REG:R--", layout.get(0).get("permissions"));
    assertEquals(false, layout.get(16).get("measured"));
  }

  @Test
  void sgxsCopyMeasuresToTheSameValue() throws Exception {
    ByteArrayOutputStream sgxs = new ByteArrayOutputStream();
    GramineMeasurement m =
        GramineMeasurer.measure(
            TestVectors.read(DIR + "a.manifest.sgx"), TestVectors.read(DIR + "libpal.so"), sgxs);
    SgxsMeasurement fromFile = SgxsReader.measure(new ByteArrayInputStream(sgxs.toByteArray()));
    assertEquals(MRENCLAVE, fromFile.mrEnclaveHex());
    assertEquals(m.mrEnclaveHex(), fromFile.mrEnclaveHex());
    assertEquals(0x10000000L / 4096 - 0x10, fromFile.pagesAdded());
    assertFalse(fromFile.canonical(), "Gramine adds pages top-down");
  }

  @Test
  void changingOneManifestByteChangesMrEnclave() throws Exception {
    byte[] manifest = TestVectors.read(DIR + "a.manifest.sgx");
    byte[] libpal = TestVectors.read(DIR + "libpal.so");
    manifest[manifest.length - 3] = 'D'; // pkru = "disableD": invalid, so rejected
    assertThrows(
        org.ppml.graphene.manifest.GramineManifestException.class,
        () -> GramineMeasurer.measure(manifest, libpal));
    byte[] withComment =
        (new String(TestVectors.read(DIR + "a.manifest.sgx"), StandardCharsets.UTF_8) + "# x\n")
            .getBytes(StandardCharsets.UTF_8);
    assertNotEquals(MRENCLAVE, GramineMeasurer.measure(withComment, libpal).mrEnclaveHex());
    byte[] pal = libpal.clone();
    pal[0x1000] ^= 1; // first byte of .text
    assertNotEquals(
        MRENCLAVE,
        GramineMeasurer.measure(TestVectors.read(DIR + "a.manifest.sgx"), pal).mrEnclaveHex());
  }

  @Test
  void edmmSkipsTheFreeArea() throws Exception {
    String manifest = "[sgx]\nenclave_size = \"256M\"\nmax_threads = 2\nedmm_enable = true\n";
    GramineMeasurement m =
        GramineMeasurer.measure(
            manifest.getBytes(StandardCharsets.UTF_8), TestVectors.read(DIR + "libpal.so"));
    assertTrue(m.layout().stream().noneMatch(a -> a.description().equals("free")));
    assertEquals(2, m.layout().stream().filter(a -> a.description().equals("stack")).count());
  }

  @Test
  void tooSmallEnclaveIsALayoutError() throws Exception {
    String manifest = "[sgx]\nenclave_size = \"1M\"\nmax_threads = 8\n";
    GramineLayoutException e =
        assertThrows(
            GramineLayoutException.class,
            () ->
                GramineMeasurer.measure(
                    manifest.getBytes(StandardCharsets.UTF_8),
                    TestVectors.read(DIR + "libpal.so")));
    assertTrue(e.getMessage().contains("not large enough"), e.getMessage());
  }

  /**
   * 16 GiB without EDMM: about 4 million EADDs, with addresses far past 4 GiB. The SGXS stream is
   * re-measured by SgxsReader as it is written, so every page must be added exactly once, in a
   * well-formed stream, and both sides must agree on MRENCLAVE. Nothing is held in memory (there is
   * no timing assert: the speed is EnclaveMeasurementBenchmark's job).
   */
  @Test
  void sixteenGigabyteLayoutAddsEveryPageOnceAndReMeasuresTheSame() throws Exception {
    long size = 16L << 30;
    byte[] manifest =
        "[sgx]\nenclave_size = \"16G\"\nmax_threads = 64\n".getBytes(StandardCharsets.UTF_8);
    PipedInputStream in = new PipedInputStream(1 << 20);
    OutputStream out = new BufferedOutputStream(new PipedOutputStream(in), 1 << 16);
    ExecutorService reader = Executors.newSingleThreadExecutor();
    try {
      Future<SgxsMeasurement> reMeasured = reader.submit(() -> SgxsReader.measure(in));
      GramineMeasurement m;
      try (out) {
        m = GramineMeasurer.measure(manifest, TestVectors.read(DIR + "libpal.so"), out);
      }
      SgxsMeasurement fromStream = reMeasured.get(5, TimeUnit.MINUTES);
      assertEquals(m.mrEnclaveHex(), fromStream.mrEnclaveHex());
      assertEquals(size, fromStream.enclaveSize());
      assertEquals(
          size / 4096 - 0x10,
          fromStream.pagesAdded(),
          "every page from heap_min (0x10000) up, once");
      MemoryArea free = m.layout().get(m.layout().size() - 1);
      assertEquals("free", free.description());
      assertEquals(0x10000L, free.address());
      assertEquals(64, m.layout().stream().filter(a -> a.description().equals("stack")).count());
      long covered = m.layout().stream().mapToLong(MemoryArea::size).sum();
      assertEquals(size - 0x10000, covered, "the areas tile the enclave above heap_min");
    } finally {
      reader.shutdownNow();
    }
  }
}
