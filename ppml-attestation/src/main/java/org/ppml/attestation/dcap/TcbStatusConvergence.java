package org.ppml.attestation.dcap;

import org.ppml.attestation.collateral.TcbStatus;

/**
 * Step 10: fold the QE's and the TDX module's TCB status into the platform's, as Intel's QVL does.
 *
 * <p>An out-of-date QE or module makes an otherwise current platform {@code OutOfDate}, or {@code
 * OutOfDateConfigurationNeeded} if the platform also needs configuration; a revoked one makes the
 * whole result {@code Revoked}.
 */
final class TcbStatusConvergence {
  private TcbStatusConvergence() {}

  static TcbStatus converge(TcbStatus platform, TcbStatus component) {
    if (component == TcbStatus.Revoked || platform == TcbStatus.Revoked) {
      return TcbStatus.Revoked;
    }
    if (component == TcbStatus.OutOfDate || component == TcbStatus.OutOfDateConfigurationNeeded) {
      return switch (platform) {
        case UpToDate, SWHardeningNeeded, OutOfDate -> TcbStatus.OutOfDate;
        case ConfigurationNeeded, ConfigurationAndSWHardeningNeeded, OutOfDateConfigurationNeeded ->
            TcbStatus.OutOfDateConfigurationNeeded;
        case Revoked -> TcbStatus.Revoked;
      };
    }
    return platform;
  }
}
