package org.ppml.enclave.sgx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Measures a Fortanix SGXS stream ({@code ppml enclave measure --sgxs FILE}).
 *
 * <p>An SGXS file is the measured record stream itself: a 64-byte ECREATE record, then EADD
 * records, each EEXTEND record followed by its 256 bytes. The enhanced format (ESGXS) may also hold
 * UNMEASRD records (same shape as EEXTEND, skipped when measuring); a stream starting with UNSIZED
 * cannot be measured.
 *
 * <p>The reader requires what a CPU would: ECREATE first and once, EADD offsets page-aligned,
 * inside the enclave and never repeated, each EEXTEND 256-byte aligned inside the page of the
 * preceding EADD and never repeated, and the reserved bytes of each record zero. The format's
 * stricter "canonical" order (EADD offsets increasing) is reported, not required, because real
 * loaders such as Gramine add pages top-down. Memory use grows only with the pages actually present
 * in the stream (a bit per page), never with a size the stream merely declares.
 */
public final class SgxsReader {

  /** Largest enclave size accepted from ECREATE (the 47-bit user address space). */
  public static final long MAX_ENCLAVE_SIZE = 1L << 47;

  private static final long TAG_ECREATE = tag("ECREATE");
  private static final long TAG_EADD = tag("EADD");
  private static final long TAG_EEXTEND = tag("EEXTEND");
  private static final long TAG_UNMEASRD = tag("UNMEASRD");
  private static final long TAG_UNSIZED = tag("UNSIZED");

  /**
   * @param in the SGXS stream; read to its end, not closed
   * @return MRENCLAVE and counts
   * @throws IOException if reading fails
   * @throws SgxsFormatException if the stream is malformed or not canonical
   */
  public static SgxsMeasurement measure(InputStream in) throws IOException, SgxsFormatException {
    byte[] record = new byte[EnclaveMeasurement.RECORD_SIZE];
    byte[] chunk = new byte[EnclaveMeasurement.EEXTEND_CHUNK];
    long position = 0;

    if (!readFully(in, record, position, false)) {
      throw new SgxsFormatException(0, "empty stream, expected an ECREATE record");
    }
    long tag = LittleEndian.u64(record, 0);
    if (tag == TAG_UNSIZED) {
      throw new SgxsFormatException(
          0, "stream starts with UNSIZED: the enclave size is not final, so it cannot be measured");
    }
    if (tag != TAG_ECREATE) {
      throw new SgxsFormatException(0, "first record must be ECREATE, found " + describeTag(tag));
    }
    long ssaFramePages = LittleEndian.u32(record, 8);
    long size = LittleEndian.u64(record, 12);
    requireZero(record, 20, position, "ECREATE");
    if (size < 2L * EnclaveMeasurement.PAGE_SIZE
        || Long.bitCount(size) != 1
        || size > MAX_ENCLAVE_SIZE) {
      throw new SgxsFormatException(
          0,
          "ECREATE size 0x"
              + Long.toHexString(size)
              + " is not a power of two between 8 KiB and 128 TiB");
    }
    if (ssaFramePages == 0) {
      throw new SgxsFormatException(0, "ECREATE SSA frame size is 0");
    }
    EnclaveMeasurement m = new EnclaveMeasurement(size, ssaFramePages);
    position += record.length;

    long lastPage = -1;
    boolean increasing = true;
    PageSet added = new PageSet();
    int extendedInPage = 0; // one bit per 256-byte chunk of the current page
    long unmeasured = 0;
    while (readFully(in, record, position, false)) {
      tag = LittleEndian.u64(record, 0);
      long offset = LittleEndian.u64(record, 8);
      if (tag == TAG_EADD) {
        requireZero(record, 24, position, "EADD");
        if ((offset & 0xfff) != 0 || Long.compareUnsigned(offset, size) >= 0) {
          throw new SgxsFormatException(
              position,
              "EADD offset 0x" + Long.toHexString(offset) + " is not a page inside the enclave");
        }
        if (!added.add(offset)) {
          throw new SgxsFormatException(
              position,
              "EADD offset 0x" + Long.toHexString(offset) + " adds a page that was already added");
        }
        if (lastPage >= 0 && offset <= lastPage) {
          increasing = false;
        }
        m.eadd(offset, LittleEndian.u64(record, 16));
        lastPage = offset;
        extendedInPage = 0;
      } else if (tag == TAG_EEXTEND || tag == TAG_UNMEASRD) {
        String name = tag == TAG_EEXTEND ? "EEXTEND" : "UNMEASRD";
        requireZero(record, 16, position, name);
        if (lastPage < 0 || (offset & 0xff) != 0 || (offset & ~0xfffL) != lastPage) {
          throw new SgxsFormatException(
              position,
              name
                  + " offset 0x"
                  + Long.toHexString(offset)
                  + " is not a 256-byte chunk of the page added just before");
        }
        int bit = 1 << (int) ((offset & 0xfff) >>> 8);
        if ((extendedInPage & bit) != 0) {
          throw new SgxsFormatException(
              position, name + " offset 0x" + Long.toHexString(offset) + " appears twice");
        }
        extendedInPage |= bit;
        long recordStart = position;
        position += record.length;
        if (!readFully(in, chunk, position, true)) {
          throw new SgxsFormatException(
              recordStart, name + " record is not followed by 256 bytes of data");
        }
        if (tag == TAG_EEXTEND) {
          m.eextend(offset, chunk, 0);
        } else {
          unmeasured++;
        }
        position += chunk.length;
        continue;
      } else if (tag == TAG_ECREATE || tag == TAG_UNSIZED) {
        throw new SgxsFormatException(position, "a second " + describeTag(tag) + " record");
      } else {
        throw new SgxsFormatException(position, "unknown record tag " + describeTag(tag));
      }
      position += record.length;
    }
    long eadds = m.eaddCount();
    long eextends = m.eextendCount();
    return new SgxsMeasurement(
        m.finish(), size, ssaFramePages, eadds, eextends, unmeasured, increasing);
  }

  /**
   * Reads exactly {@code buf.length} bytes. Returns false on a clean end of stream before the first
   * byte (unless {@code required}); throws on a partial record.
   */
  private static boolean readFully(InputStream in, byte[] buf, long position, boolean required)
      throws IOException, SgxsFormatException {
    int got = 0;
    while (got < buf.length) {
      int n = in.read(buf, got, buf.length - got);
      if (n < 0) {
        if (got == 0 && !required) {
          return false;
        }
        throw new SgxsFormatException(
            position, "truncated: " + got + " of " + buf.length + " bytes");
      }
      got += n;
    }
    return true;
  }

  private static void requireZero(byte[] record, int from, long position, String name)
      throws SgxsFormatException {
    for (int i = from; i < record.length; i++) {
      if (record[i] != 0) {
        throw new SgxsFormatException(
            position, name + " record has a non-zero reserved byte at +" + i);
      }
    }
  }

  private static long tag(String name) {
    byte[] t = Arrays.copyOf(name.getBytes(StandardCharsets.US_ASCII), 8);
    return LittleEndian.u64(t, 0);
  }

  private static String describeTag(long tag) {
    byte[] t = new byte[8];
    LittleEndian.putU64(t, 0, tag);
    StringBuilder sb = new StringBuilder();
    for (byte b : t) {
      if (b == 0) {
        break;
      }
      if (b < 0x20 || b > 0x7e) {
        return String.format("0x%016x", Long.reverseBytes(tag));
      }
      sb.append((char) b);
    }
    return sb.toString();
  }

  /**
   * Pages seen so far, one bit per page in 1 GiB regions created on first use, so memory follows
   * the pages present in the stream rather than the declared enclave size.
   */
  private static final class PageSet {
    private static final int PAGES_PER_REGION = 1 << 18;
    private final java.util.Map<Long, java.util.BitSet> regions = new java.util.HashMap<>();

    /**
     * @return false if the page was already in the set
     */
    boolean add(long offset) {
      long page = offset >>> 12;
      java.util.BitSet region =
          regions.computeIfAbsent(
              page / PAGES_PER_REGION, k -> new java.util.BitSet(PAGES_PER_REGION));
      int bit = (int) (page % PAGES_PER_REGION);
      if (region.get(bit)) {
        return false;
      }
      region.set(bit);
      return true;
    }
  }

  private SgxsReader() {}
}
