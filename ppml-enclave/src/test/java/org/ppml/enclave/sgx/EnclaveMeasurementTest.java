package org.ppml.enclave.sgx;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EnclaveMeasurementTest {

  /** A small enclave: one TCS, one code page with content, one unmeasured free page. */
  private static byte[] smallEnclave(ByteArrayOutputStream sgxs) {
    EnclaveMeasurement m = new EnclaveMeasurement(0x10000, 1, sgxs);
    byte[] page = new byte[4096];
    for (int i = 0; i < page.length; i++) {
      page[i] = (byte) (i * 7);
    }
    m.addPage(0x1000, SecInfo.PT_REG | SecInfo.R | SecInfo.X, page, 0, true);
    m.addPage(0x2000, SecInfo.PT_TCS, new byte[4096], 0, true);
    m.addZeroPages(0x3000, 2, SecInfo.PT_REG | SecInfo.R | SecInfo.W, false);
    assertEquals(4, m.eaddCount());
    assertEquals(32, m.eextendCount());
    return m.finish();
  }

  @Test
  void recordLayoutMatchesTheSdm() throws Exception {
    ByteArrayOutputStream sgxs = new ByteArrayOutputStream();
    byte[] mr = smallEnclave(sgxs);
    byte[] stream = sgxs.toByteArray();
    assertEquals(64 + 2 * (64 + 16 * (64 + 256)) + 2 * 64, stream.length);
    assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(stream), mr);
    // ECREATE: tag, SSAFRAMESIZE u32, SIZE u64, zeros.
    assertArrayEquals("ECREATE\0".getBytes(), Arrays.copyOfRange(stream, 0, 8));
    assertEquals(1, LittleEndian.u32(stream, 8));
    assertEquals(0x10000, LittleEndian.u64(stream, 12));
    // EADD: tag, offset, SECINFO.FLAGS.
    assertArrayEquals("EADD\0\0\0\0".getBytes(), Arrays.copyOfRange(stream, 64, 72));
    assertEquals(0x1000, LittleEndian.u64(stream, 72));
    assertEquals(0x205, LittleEndian.u64(stream, 80));
    // EEXTEND: tag, offset, then 256 bytes of content.
    assertArrayEquals("EEXTEND\0".getBytes(), Arrays.copyOfRange(stream, 128, 136));
    assertEquals(0x1000, LittleEndian.u64(stream, 136));
    assertEquals((byte) 7, stream[192 + 1]);
  }

  @Test
  void sgxsReaderReproducesTheMeasurement() throws Exception {
    ByteArrayOutputStream sgxs = new ByteArrayOutputStream();
    byte[] mr = smallEnclave(sgxs);
    SgxsMeasurement result = SgxsReader.measure(new ByteArrayInputStream(sgxs.toByteArray()));
    assertArrayEquals(mr, result.mrEnclave());
    assertEquals(0x10000, result.enclaveSize());
    assertEquals(1, result.ssaFramePages());
    assertEquals(4, result.pagesAdded());
    assertEquals(32, result.chunksMeasured());
    assertTrue(result.canonical());
  }

  @Test
  void topDownStreamsAreMeasuredButNotCanonical() throws Exception {
    ByteArrayOutputStream sgxs = new ByteArrayOutputStream();
    EnclaveMeasurement m = new EnclaveMeasurement(0x10000, 1, sgxs);
    m.addZeroPages(0xf000, 1, SecInfo.PT_REG | SecInfo.R, true);
    m.addZeroPages(0xe000, 1, SecInfo.PT_REG | SecInfo.R, false);
    byte[] mr = m.finish();
    SgxsMeasurement r = SgxsReader.measure(new ByteArrayInputStream(sgxs.toByteArray()));
    assertArrayEquals(mr, r.mrEnclave());
    assertFalse(r.canonical());
  }

  @Test
  void unmeasuredRecordsAreSkipped() throws Exception {
    ByteArrayOutputStream sgxs = new ByteArrayOutputStream();
    byte[] mr = smallEnclave(sgxs);
    byte[] s = sgxs.toByteArray();
    // Insert an UNMEASRD chunk for the first free page (EADD of 0x3000 sits at the end - 128).
    int eaddFree = s.length - 128;
    byte[] unm = new byte[64 + 256];
    System.arraycopy("UNMEASRD".getBytes(), 0, unm, 0, 8);
    LittleEndian.putU64(unm, 8, 0x3100);
    Arrays.fill(unm, 64, unm.length, (byte) 0x5a);
    byte[] esgxs = new byte[s.length + unm.length];
    System.arraycopy(s, 0, esgxs, 0, eaddFree + 64);
    System.arraycopy(unm, 0, esgxs, eaddFree + 64, unm.length);
    System.arraycopy(s, eaddFree + 64, esgxs, eaddFree + 64 + unm.length, 64);
    SgxsMeasurement r = SgxsReader.measure(new ByteArrayInputStream(esgxs));
    assertArrayEquals(mr, r.mrEnclave());
    assertEquals(1, r.chunksUnmeasured());
  }

  @Test
  void hostileStreamsGiveTypedErrors() throws Exception {
    ByteArrayOutputStream sgxs = new ByteArrayOutputStream();
    smallEnclave(sgxs);
    byte[] good = sgxs.toByteArray();

    assertRejected(new byte[0], "empty");
    assertRejected(Arrays.copyOf(good, 63), "truncated");
    assertRejected(Arrays.copyOf(good, 64 + 64 + 64 + 100), "256 bytes");
    assertRejected(Arrays.copyOf(good, good.length - 1), "truncated");

    byte[] unsized = good.clone();
    System.arraycopy("UNSIZED\0".getBytes(), 0, unsized, 0, 8);
    assertRejected(unsized, "UNSIZED");

    byte[] notEcreate = good.clone();
    System.arraycopy("EADD\0\0\0\0".getBytes(), 0, notEcreate, 0, 8);
    assertRejected(notEcreate, "ECREATE");

    byte[] badSize = good.clone();
    LittleEndian.putU64(badSize, 12, 0x10001);
    assertRejected(badSize, "power of two");

    byte[] reserved = good.clone();
    reserved[40] = 1;
    assertRejected(reserved, "reserved");

    byte[] unknown = good.clone();
    System.arraycopy("EBOGUS\0\0".getBytes(), 0, unknown, 64, 8);
    assertRejected(unknown, "EBOGUS");

    byte[] binaryTag = good.clone();
    binaryTag[64] = (byte) 0xff;
    assertRejected(binaryTag, "unknown record tag 0x");

    byte[] outside = good.clone();
    LittleEndian.putU64(outside, 72, 0x10000);
    assertRejected(outside, "not a page inside");

    byte[] misaligned = good.clone();
    LittleEndian.putU64(misaligned, 72, 0x1800);
    assertRejected(misaligned, "not a page inside");

    byte[] extendElsewhere = good.clone();
    LittleEndian.putU64(extendElsewhere, 136, 0x2000);
    assertRejected(extendElsewhere, "page added just before");

    byte[] repeated = good.clone();
    LittleEndian.putU64(repeated, 136 + 320, 0x1000);
    assertRejected(repeated, "twice");

    // Two ECREATEs.
    byte[] twice = new byte[good.length + 64];
    System.arraycopy(good, 0, twice, 0, 64);
    System.arraycopy(good, 0, twice, 64, good.length);
    assertRejected(twice, "second ECREATE");

    // The same page added twice.
    byte[] duplicate = good.clone();
    LittleEndian.putU64(duplicate, good.length - 64 + 8, 0x3000);
    assertRejected(duplicate, "already added");

    // EEXTEND before any EADD.
    byte[] early = new byte[64 + 320];
    System.arraycopy(good, 0, early, 0, 64);
    System.arraycopy("EEXTEND\0".getBytes(), 0, early, 64, 8);
    assertRejected(early, "page added just before");

    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 300; i++) {
      byte[] junk = good.clone();
      junk[random.nextInt(junk.length)] ^= (byte) (1 + random.nextInt(255));
      try {
        SgxsReader.measure(new ByteArrayInputStream(junk));
      } catch (SgxsFormatException expected) {
        // typed, as required; anything else fails the test
      }
    }
  }

  private static void assertRejected(byte[] stream, String messagePart) {
    SgxsFormatException e =
        assertThrows(
            SgxsFormatException.class, () -> SgxsReader.measure(new ByteArrayInputStream(stream)));
    assertTrue(e.getMessage().contains(messagePart), e.getMessage());
  }

  @Test
  void engineRejectsOutOfRangeUse() {
    assertThrows(IllegalArgumentException.class, () -> new EnclaveMeasurement(0x3000, 1));
    assertThrows(IllegalArgumentException.class, () -> new EnclaveMeasurement(0x1000, 1));
    assertThrows(IllegalArgumentException.class, () -> new EnclaveMeasurement(0x10000, 0));
    EnclaveMeasurement m = new EnclaveMeasurement(0x10000, 1);
    assertThrows(IllegalArgumentException.class, () -> m.eadd(0x10000, 0));
    assertThrows(IllegalArgumentException.class, () -> m.eadd(0x100, 0));
    assertThrows(IllegalArgumentException.class, () -> m.eextend(0x80, new byte[256], 0));
    assertThrows(IndexOutOfBoundsException.class, () -> m.eextend(0x100, new byte[255], 0));
    assertThrows(IllegalArgumentException.class, () -> m.addZeroPages(0xf000, 2, 0, false));
    m.finish();
    assertThrows(IllegalStateException.class, () -> m.eadd(0, 0));
    assertThrows(IllegalStateException.class, m::finish);
  }

  /**
   * A 16 GiB enclave without EDMM is ~4 million EADD records, at offsets far past 4 GiB. The engine
   * must give the digest of exactly those records, written out here the SDM's way. There is no
   * timing assert (unit tests never time anything); EnclaveMeasurementBenchmark measures the speed
   * the issue asks for.
   */
  @Test
  void sixteenGigabyteFreeAreaIsTheDigestOfItsRecords() throws Exception {
    long size = 16L << 30;
    long pages = (size - 0x10000) / 4096;
    long flags = SecInfo.PT_REG | SecInfo.R | SecInfo.W | SecInfo.X;
    EnclaveMeasurement m = new EnclaveMeasurement(size, 4);
    m.addZeroPages(0x10000, pages, flags, false);
    assertEquals(pages, m.eaddCount());
    assertEquals(0, m.eextendCount());

    MessageDigest expected = MessageDigest.getInstance("SHA-256");
    byte[] record = new byte[64];
    System.arraycopy("ECREATE\0".getBytes(), 0, record, 0, 8);
    LittleEndian.putU32(record, 8, 4);
    LittleEndian.putU64(record, 12, size);
    expected.update(record);
    byte[] eadd = "EADD\0\0\0\0".getBytes();
    byte[] batch = new byte[64 * 1024];
    for (long p = 0; p < pages; ) {
      int n = (int) Math.min(batch.length / 64, pages - p);
      for (int i = 0; i < n; i++, p++) {
        int at = i * 64;
        Arrays.fill(batch, at, at + 64, (byte) 0);
        System.arraycopy(eadd, 0, batch, at, 8);
        LittleEndian.putU64(batch, at + 8, 0x10000 + p * 4096);
        LittleEndian.putU64(batch, at + 16, flags);
      }
      expected.update(batch, 0, n * 64);
    }
    assertArrayEquals(expected.digest(), m.finish());
  }
}
