package org.ppml.occlum.attestation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.ppml.attestation.evidence.EvidenceContext;
import org.ppml.attestation.evidence.EvidenceProvider;
import org.ppml.attestation.evidence.EvidenceProviderFactory;

/**
 * The {@code occlum} factory. Inside Occlum, {@code /dev/sgx} is a device file; on an SGX host
 * outside any enclave it is a directory (the DCAP driver's {@code /dev/sgx/enclave}), which must
 * not count as Occlum.
 */
public final class OcclumEvidenceProviderFactory implements EvidenceProviderFactory {
  private final Supplier<SgxDeviceLibc> libc;

  /** The factory {@code ServiceLoader} uses: real libc through JNA. */
  public OcclumEvidenceProviderFactory() {
    this(SgxDeviceLibc::system);
  }

  /**
   * @param libc the system calls (a fake kernel in tests)
   */
  public OcclumEvidenceProviderFactory(Supplier<SgxDeviceLibc> libc) {
    this.libc = libc;
  }

  @Override
  public String name() {
    return OcclumEvidenceProvider.NAME;
  }

  @Override
  public boolean isAvailable(EvidenceContext context) {
    Path device = context.resolve(OcclumEvidenceProvider.DEVICE);
    return Files.exists(device) && !Files.isDirectory(device);
  }

  @Override
  public EvidenceProvider create(EvidenceContext context) {
    return new OcclumEvidenceProvider(
        libc, context.resolve(OcclumEvidenceProvider.DEVICE).toString());
  }
}
