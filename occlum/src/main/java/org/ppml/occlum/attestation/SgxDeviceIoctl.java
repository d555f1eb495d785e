package org.ppml.occlum.attestation;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import org.ppml.attestation.evidence.EvidenceProvider;

/**
 * The DCAP quote ioctls of Occlum's {@code /dev/sgx} on an open descriptor: the request numbers and
 * the native layout of their arguments, as Occlum's LibOS ({@code dev_sgx}) defines them.
 *
 * <pre>
 * SGXIOC_GET_DCAP_QUOTE_SIZE = _IOR('s', 7, u32)        arg: u32*                       → quote size
 * SGXIOC_GEN_DCAP_QUOTE      = _IOWR('s', 8, 24 bytes)   arg: struct {
 *                                                           const sgx_report_data_t *report_data; // in, 64 bytes
 *                                                           uint32_t *quote_len;                  // in: buffer size, out: quote size
 *                                                           uint8_t *quote_buf;                   // out
 *                                                         }
 * </pre>
 */
public final class SgxDeviceIoctl {
  /** {@code SGXIOC_GET_DCAP_QUOTE_SIZE}. */
  public static final long GET_DCAP_QUOTE_SIZE = 0x80047307L;

  /** {@code SGXIOC_GEN_DCAP_QUOTE}. */
  public static final long GEN_DCAP_QUOTE = 0xc0187308L;

  /** Size of the {@code GEN_DCAP_QUOTE} argument: three pointers (also encoded in the request). */
  public static final int GEN_ARG_SIZE = 3 * 8;

  /** Offsets of the three pointers in that argument. */
  public static final int ARG_REPORT_DATA = 0;

  /** Offset of {@code quote_len}. */
  public static final int ARG_QUOTE_LEN = 8;

  /** Offset of {@code quote_buf}. */
  public static final int ARG_QUOTE_BUF = 16;

  private final SgxDeviceLibc libc;
  private final int fd;
  private final String device;

  /**
   * @param libc the system calls
   * @param fd an open descriptor of the device
   * @param device the device path, for messages
   */
  SgxDeviceIoctl(SgxDeviceLibc libc, int fd, String device) {
    this.libc = libc;
    this.fd = fd;
    this.device = device;
  }

  /**
   * @return the size of a quote on this platform, as an unsigned 32-bit value
   * @throws SgxDeviceException if the ioctl fails
   */
  long quoteSize() throws SgxDeviceException {
    try (Memory size = new Memory(4)) {
      size.setInt(0, 0);
      call(GET_DCAP_QUOTE_SIZE, size, "SGXIOC_GET_DCAP_QUOTE_SIZE");
      return Integer.toUnsignedLong(size.getInt(0));
    }
  }

  /**
   * @param reportData exactly {@link EvidenceProvider#REPORT_DATA_SIZE} bytes
   * @param bufferSize the buffer to offer, from {@link #quoteSize()}, already bounded by the caller
   * @return the quote, as long as the device says it is
   * @throws SgxDeviceException if the ioctl fails or reports a length beyond the buffer
   */
  byte[] generateQuote(byte[] reportData, int bufferSize) throws SgxDeviceException {
    try (Memory data = new Memory(EvidenceProvider.REPORT_DATA_SIZE);
        Memory len = new Memory(4);
        Memory buf = new Memory(bufferSize);
        Memory arg = new Memory(GEN_ARG_SIZE)) {
      data.write(0, reportData, 0, EvidenceProvider.REPORT_DATA_SIZE);
      len.setInt(0, bufferSize);
      buf.clear();
      arg.setPointer(ARG_REPORT_DATA, data);
      arg.setPointer(ARG_QUOTE_LEN, len);
      arg.setPointer(ARG_QUOTE_BUF, buf);
      call(GEN_DCAP_QUOTE, arg, "SGXIOC_GEN_DCAP_QUOTE");
      long actual = Integer.toUnsignedLong(len.getInt(0));
      if (actual == 0 || actual > bufferSize) {
        throw new SgxDeviceException(
            SgxDeviceException.Reason.BAD_QUOTE_SIZE,
            0,
            device
                + ": SGXIOC_GEN_DCAP_QUOTE reported a quote of "
                + actual
                + " bytes for a buffer of "
                + bufferSize);
      }
      return buf.getByteArray(0, (int) actual);
    }
  }

  private void call(long request, Pointer arg, String name) throws SgxDeviceException {
    try {
      int rc = libc.ioctl(fd, new NativeLong(request), arg);
      if (rc < 0) {
        throw new SgxDeviceException(
            SgxDeviceException.Reason.IOCTL_FAILED, 0, device + ": " + name + " returned " + rc);
      }
    } catch (LastErrorException e) {
      throw new SgxDeviceException(
          SgxDeviceException.Reason.IOCTL_FAILED,
          e.getErrorCode(),
          device + ": " + name + " failed with errno " + e.getErrorCode());
    }
  }
}
