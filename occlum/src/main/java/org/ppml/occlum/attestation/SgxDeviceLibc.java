package org.ppml.occlum.attestation;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * The three libc calls the Occlum provider makes: {@code open}, {@code ioctl}, {@code close}. The
 * real implementation is JNA's binding of libc ({@link #system()}); tests implement it with a fake
 * kernel that reads and writes the same native memory the real kernel would.
 *
 * <p>Failures come back as {@link LastErrorException} carrying {@code errno}, as JNA raises them.
 */
public interface SgxDeviceLibc extends Library {
  /** {@code O_RDONLY}; Occlum's own DCAP library opens {@code /dev/sgx} read-only. */
  int O_RDONLY = 0;

  /** {@code int open(const char *path, int flags)}. */
  int open(String path, int flags) throws LastErrorException;

  /**
   * {@code int ioctl(int fd, unsigned long request, void *arg)}. The request travels in a 64-bit
   * register either way, so this also fits musl's {@code int request}: the low 32 bits are the
   * same.
   */
  int ioctl(int fd, NativeLong request, Pointer arg) throws LastErrorException;

  /** {@code int close(int fd)}. */
  int close(int fd) throws LastErrorException;

  /** libc through JNA. Loading is lazy in the caller: outside Linux there is nothing to load. */
  static SgxDeviceLibc system() {
    return Native.load("c", SgxDeviceLibc.class);
  }
}
