package org.ppml.enclave.sgx;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Computes MRENCLAVE the way the CPU does while an enclave is built: SHA-256 over a stream of
 * 64-byte records, one for ECREATE, one per EADD (page offset and SECINFO flags), and one per
 * EEXTEND followed by the 256 bytes it measures.
 *
 * <p>Records stream straight into the digest through a small buffer; nothing proportional to the
 * enclave size is ever held, which is what lets a 64 GiB layout be measured in seconds. The same
 * stream can be copied to an {@link OutputStream}, which then holds a Fortanix SGXS file.
 *
 * <p>Not thread-safe. Call {@link #finish()} once, at the end.
 */
public final class EnclaveMeasurement {

  /** SGX page size. */
  public static final int PAGE_SIZE = 4096;

  /** Bytes measured by one EEXTEND. */
  public static final int EEXTEND_CHUNK = 256;

  /** Size of one measurement record. */
  public static final int RECORD_SIZE = 64;

  private static final byte[] TAG_ECREATE = tag("ECREATE");
  private static final byte[] TAG_EADD = tag("EADD");
  private static final byte[] TAG_EEXTEND = tag("EEXTEND");
  private static final byte[] ZERO_PAGE = new byte[PAGE_SIZE];

  private final MessageDigest digest;
  private final OutputStream copy;
  private final long enclaveSize;
  private final byte[] buffer = new byte[64 * 1024];
  private int buffered;
  private long eadds;
  private long eextends;
  private boolean finished;

  /**
   * Starts a measurement with the ECREATE record.
   *
   * @param enclaveSize the enclave size in bytes; a power of two of at least two pages
   * @param ssaFramePages SECS.SSAFRAMESIZE, in pages
   */
  public EnclaveMeasurement(long enclaveSize, long ssaFramePages) {
    this(enclaveSize, ssaFramePages, null);
  }

  /**
   * Starts a measurement with the ECREATE record, copying every measured byte to {@code sgxsCopy}.
   *
   * @param enclaveSize the enclave size in bytes; a power of two of at least two pages
   * @param ssaFramePages SECS.SSAFRAMESIZE, in pages
   * @param sgxsCopy where to copy the measured stream (an SGXS file), or null
   */
  public EnclaveMeasurement(long enclaveSize, long ssaFramePages, OutputStream sgxsCopy) {
    if (enclaveSize < 2L * PAGE_SIZE || Long.bitCount(enclaveSize) != 1) {
      throw new IllegalArgumentException(
          "enclave size must be a power of two of at least 8 KiB, got " + enclaveSize);
    }
    if (ssaFramePages < 1 || ssaFramePages > 0xffffffffL) {
      throw new IllegalArgumentException(
          "SSA frame size must be 1..2^32-1 pages, got " + ssaFramePages);
    }
    try {
      this.digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    this.copy = sgxsCopy;
    this.enclaveSize = enclaveSize;
    int at = record(TAG_ECREATE);
    LittleEndian.putU32(buffer, at + 8, ssaFramePages);
    LittleEndian.putU64(buffer, at + 12, enclaveSize);
  }

  /**
   * @return the enclave size given to ECREATE
   */
  public long enclaveSize() {
    return enclaveSize;
  }

  /**
   * Records an EADD of the page at {@code offset}.
   *
   * @param offset page offset from the enclave base; page-aligned and inside the enclave
   * @param secInfoFlags the page's SECINFO.FLAGS (see {@link SecInfo})
   */
  public void eadd(long offset, long secInfoFlags) {
    checkOffset(offset, PAGE_SIZE, "EADD");
    int at = record(TAG_EADD);
    LittleEndian.putU64(buffer, at + 8, offset);
    LittleEndian.putU64(buffer, at + 16, secInfoFlags);
    eadds++;
  }

  /**
   * Records an EEXTEND of 256 bytes at {@code offset}.
   *
   * @param offset offset from the enclave base; 256-byte aligned and inside the enclave
   * @param content the array holding the 256 measured bytes
   * @param from where they start in {@code content}
   */
  public void eextend(long offset, byte[] content, int from) {
    checkOffset(offset, EEXTEND_CHUNK, "EEXTEND");
    if (from < 0 || from > content.length - EEXTEND_CHUNK) {
      throw new IndexOutOfBoundsException("EEXTEND needs 256 bytes from index " + from);
    }
    int at = record(TAG_EEXTEND);
    LittleEndian.putU64(buffer, at + 8, offset);
    ensureRoom(EEXTEND_CHUNK);
    System.arraycopy(content, from, buffer, buffered, EEXTEND_CHUNK);
    buffered += EEXTEND_CHUNK;
    eextends++;
  }

  /**
   * Adds one page: EADD, then, if measured, 16 EEXTENDs over its content.
   *
   * @param offset page offset from the enclave base
   * @param secInfoFlags SECINFO.FLAGS
   * @param page the array holding the 4096-byte page
   * @param from where the page starts in it
   * @param measured whether the content is measured (EEXTEND) or only added
   */
  public void addPage(long offset, long secInfoFlags, byte[] page, int from, boolean measured) {
    eadd(offset, secInfoFlags);
    if (measured) {
      for (int i = 0; i < PAGE_SIZE; i += EEXTEND_CHUNK) {
        eextend(offset + i, page, from + i);
      }
    }
  }

  /**
   * Adds {@code pages} zero-filled pages starting at {@code offset}, e.g. stacks (measured) or the
   * free heap of an enclave without EDMM (not measured).
   *
   * @param offset first page offset from the enclave base
   * @param pages number of pages
   * @param secInfoFlags SECINFO.FLAGS
   * @param measured whether their (zero) content is measured
   */
  public void addZeroPages(long offset, long pages, long secInfoFlags, boolean measured) {
    if (pages < 0 || pages > (enclaveSize - offset) / PAGE_SIZE) {
      throw new IllegalArgumentException(
          pages + " pages at offset 0x" + Long.toHexString(offset) + " do not fit in the enclave");
    }
    for (long p = 0; p < pages; p++) {
      addPage(offset + p * PAGE_SIZE, secInfoFlags, ZERO_PAGE, 0, measured);
    }
  }

  /**
   * @return how many EADD records were measured so far
   */
  public long eaddCount() {
    return eadds;
  }

  /**
   * @return how many EEXTEND records were measured so far
   */
  public long eextendCount() {
    return eextends;
  }

  /**
   * Ends the measurement.
   *
   * @return MRENCLAVE, 32 bytes
   */
  public byte[] finish() {
    checkOpen();
    flush();
    finished = true;
    return digest.digest();
  }

  private void checkOffset(long offset, int alignment, String op) {
    checkOpen();
    if (offset < 0 || offset >= enclaveSize || offset % alignment != 0) {
      throw new IllegalArgumentException(
          op
              + " offset 0x"
              + Long.toHexString(offset)
              + " is not "
              + alignment
              + "-byte aligned inside an enclave of 0x"
              + Long.toHexString(enclaveSize));
    }
  }

  private void checkOpen() {
    if (finished) {
      throw new IllegalStateException("measurement already finished");
    }
  }

  /** Starts a zeroed record with its tag and returns its index in the buffer. */
  private int record(byte[] tag) {
    ensureRoom(RECORD_SIZE);
    int at = buffered;
    java.util.Arrays.fill(buffer, at, at + RECORD_SIZE, (byte) 0);
    System.arraycopy(tag, 0, buffer, at, 8);
    buffered += RECORD_SIZE;
    return at;
  }

  private void ensureRoom(int n) {
    if (buffered + n > buffer.length) {
      flush();
    }
  }

  private void flush() {
    digest.update(buffer, 0, buffered);
    if (copy != null) {
      try {
        copy.write(buffer, 0, buffered);
      } catch (IOException e) {
        throw new UncheckedIOException("writing the SGXS copy failed", e);
      }
    }
    buffered = 0;
  }

  private static byte[] tag(String name) {
    byte[] t = new byte[8];
    byte[] ascii = name.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(ascii, 0, t, 0, ascii.length);
    return t;
  }
}
