package org.ppml.occlum.attestation;

/**
 * Occlum's {@code /dev/sgx} did not produce a quote. {@link #reason()} says which step failed;
 * {@link #errno()} is the OS error number when a system call failed, 0 otherwise.
 */
public final class SgxDeviceException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Which step failed. */
  public enum Reason {
    /** {@code open} failed: not inside Occlum, or the device is not exposed. */
    DEVICE_UNAVAILABLE,
    /** An {@code ioctl} failed (e.g. no DCAP quote provider on the host). */
    IOCTL_FAILED,
    /** The device reported a quote size that is zero or above the bound. */
    BAD_QUOTE_SIZE,
  }

  private final Reason reason;
  private final int errno;

  /**
   * @param reason which step failed
   * @param errno the OS error number, 0 if none
   * @param message what failed, with the device path
   */
  public SgxDeviceException(Reason reason, int errno, String message) {
    super(message);
    this.reason = reason;
    this.errno = errno;
  }

  public Reason reason() {
    return reason;
  }

  /** The OS error number, or 0 when no system call failed. */
  public int errno() {
    return errno;
  }
}
