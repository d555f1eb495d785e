package org.ppml.occlum.attestation;

import com.sun.jna.LastErrorException;
import java.util.function.Supplier;
import org.ppml.attestation.evidence.Evidence;
import org.ppml.attestation.evidence.EvidenceException;
import org.ppml.attestation.evidence.EvidenceProvider;
import org.ppml.attestation.evidence.QuoteEvidence;
import org.ppml.attestation.quote.Quote;
import org.ppml.attestation.quote.TeeType;

/**
 * The {@code occlum} evidence provider: inside an Occlum enclave, a DCAP quote from the LibOS's
 * {@code /dev/sgx} (open, {@code SGXIOC_GET_DCAP_QUOTE_SIZE}, {@code SGXIOC_GEN_DCAP_QUOTE},
 * close).
 *
 * <p>The size the device announces is bounded by {@link #MAX_QUOTE_SIZE} before any buffer is
 * allocated, and the quote is checked to bind the requested report data.
 */
public final class OcclumEvidenceProvider implements EvidenceProvider {
  /** The provider name. */
  public static final String NAME = "occlum";

  /** Where Occlum's devfs exposes the device. */
  public static final String DEVICE = "/dev/sgx";

  /** Largest quote accepted; DCAP quotes with their certification chain are a few KiB. */
  public static final int MAX_QUOTE_SIZE = Quote.MAX_SIZE;

  private final Supplier<SgxDeviceLibc> libc;
  private final String device;

  /**
   * @param libc the system calls, resolved on first use so that merely constructing the provider
   *     never loads native code
   * @param device the device path, normally {@link #DEVICE}
   */
  public OcclumEvidenceProvider(Supplier<SgxDeviceLibc> libc, String device) {
    this.libc = libc;
    this.device = device;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Evidence evidence(byte[] reportData) throws EvidenceException {
    QuoteEvidence.checkReportData(reportData);
    try {
      return QuoteEvidence.of(NAME, TeeType.SGX, quote(reportData), reportData, device);
    } catch (SgxDeviceException e) {
      throw new EvidenceException(e.getMessage(), e);
    }
  }

  /**
   * The raw quote from the device, before any check of its content.
   *
   * @throws SgxDeviceException if the device is missing, an ioctl fails, or a size is out of bounds
   */
  public byte[] quote(byte[] reportData) throws SgxDeviceException {
    if (reportData == null || reportData.length != EvidenceProvider.REPORT_DATA_SIZE) {
      throw new IllegalArgumentException(
          "report data must be exactly " + EvidenceProvider.REPORT_DATA_SIZE + " bytes");
    }
    SgxDeviceLibc c = libc.get();
    int fd;
    try {
      fd = c.open(device, SgxDeviceLibc.O_RDONLY);
    } catch (LastErrorException e) {
      throw new SgxDeviceException(
          SgxDeviceException.Reason.DEVICE_UNAVAILABLE,
          e.getErrorCode(),
          "cannot open "
              + device
              + " (errno "
              + e.getErrorCode()
              + "); is this an Occlum enclave?");
    }
    try {
      SgxDeviceIoctl ioctl = new SgxDeviceIoctl(c, fd, device);
      long size = ioctl.quoteSize();
      if (size == 0 || size > MAX_QUOTE_SIZE) {
        throw new SgxDeviceException(
            SgxDeviceException.Reason.BAD_QUOTE_SIZE,
            0,
            device
                + ": SGXIOC_GET_DCAP_QUOTE_SIZE says "
                + size
                + " bytes, outside 1.."
                + MAX_QUOTE_SIZE);
      }
      return ioctl.generateQuote(reportData, (int) size);
    } finally {
      try {
        c.close(fd);
      } catch (LastErrorException ignored) {
        // Nothing to recover: the descriptor is gone either way, and the quote (or the
        // error being thrown) is what the caller needs.
      }
    }
  }

  @Override
  public String toString() {
    return "OcclumEvidenceProvider[" + device + "]";
  }
}
