package org.ppml.occlum.attestation;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;

/**
 * A fake of Occlum's {@code dev_sgx} behind libc: it answers the real request numbers by reading
 * and writing the caller's native memory exactly as the LibOS does, so the provider's struct
 * marshalling is what is under test. Errors come back as errno, like the real calls.
 */
class FakeOcclumKernel implements SgxDeviceLibc {
  static final int ENOENT = 2;
  static final int EBADF = 9;
  static final int EINVAL = 22;
  static final int ENOTTY = 25;

  private final String device;
  private final Function<byte[], byte[]> quoteFor;
  private final Set<Integer> open = new HashSet<>();
  private int nextFd = 3;

  /** What GET_DCAP_QUOTE_SIZE announces; by default the size of the quote for zero report data. */
  long announcedSize;

  /** When non-zero, GEN_DCAP_QUOTE fails with this errno. */
  int genErrno;

  /** When non-negative, GEN_DCAP_QUOTE reports this length instead of the quote's. */
  long reportedLength = -1;

  int opens;
  int closes;
  byte[] lastReportData;

  FakeOcclumKernel(String device, Function<byte[], byte[]> quoteFor) {
    this.device = device;
    this.quoteFor = quoteFor;
    this.announcedSize = quoteFor.apply(new byte[64]).length;
  }

  @Override
  public int open(String path, int flags) {
    if (!path.equals(device)) {
      throw new LastErrorException(ENOENT);
    }
    if (flags != O_RDONLY) {
      throw new LastErrorException(EINVAL);
    }
    opens++;
    int fd = nextFd++;
    open.add(fd);
    return fd;
  }

  @Override
  public int ioctl(int fd, NativeLong request, Pointer arg) {
    if (!open.contains(fd)) {
      throw new LastErrorException(EBADF);
    }
    long req = request.longValue() & 0xffffffffL;
    if (req == 0x80047307L) {
      arg.setInt(0, (int) announcedSize);
      return 0;
    }
    if (req == 0xc0187308L) {
      if (genErrno != 0) {
        throw new LastErrorException(genErrno);
      }
      Pointer reportData = arg.getPointer(0);
      Pointer quoteLen = arg.getPointer(8);
      Pointer quoteBuf = arg.getPointer(16);
      lastReportData = reportData.getByteArray(0, 64);
      byte[] quote = quoteFor.apply(lastReportData);
      long offered = Integer.toUnsignedLong(quoteLen.getInt(0));
      if (offered < quote.length) {
        throw new LastErrorException(EINVAL);
      }
      quoteBuf.write(0, quote, 0, quote.length);
      quoteLen.setInt(0, (int) (reportedLength >= 0 ? reportedLength : quote.length));
      return 0;
    }
    throw new LastErrorException(ENOTTY);
  }

  @Override
  public int close(int fd) {
    if (!open.remove(fd)) {
      throw new LastErrorException(EBADF);
    }
    closes++;
    return 0;
  }

  boolean allClosed() {
    return open.isEmpty();
  }
}
