package org.ppml.attestation.dcap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.bouncycastle.util.encoders.Hex;
import org.ppml.attestation.collateral.TcbInfo;
import org.ppml.attestation.collateral.TcbLevel;
import org.ppml.attestation.quote.TdReport;

/**
 * Step 8: choose the platform TCB level from the PCK certificate's certified SVNs (and, for TDX,
 * the TD report's TEE_TCB_SVN).
 *
 * <p>Levels are sorted here, highest first, rather than trusted in JSON order: the first level the
 * platform meets or exceeds on every component wins. All SVNs are compared as unsigned numbers.
 */
final class PlatformTcbMatcher {
  /**
   * Orders levels highest first: SGX components, then TDX components, then PCESVN,
   * lexicographically.
   */
  static final Comparator<TcbLevel> HIGHEST_FIRST =
      (a, b) -> {
        for (int i = 0; i < TcbLevel.COMPONENTS; i++) {
          int c = Integer.compare(b.sgxComponent(i), a.sgxComponent(i));
          if (c != 0) {
            return c;
          }
        }
        if (a.hasTdxComponents() && b.hasTdxComponents()) {
          for (int i = 0; i < TcbLevel.COMPONENTS; i++) {
            int c = Integer.compare(b.tdxComponent(i), a.tdxComponent(i));
            if (c != 0) {
              return c;
            }
          }
        }
        int c = Integer.compare(b.pceSvn(), a.pceSvn());
        return c != 0 ? c : b.tcbDate().compareTo(a.tcbDate());
      };

  private PlatformTcbMatcher() {}

  /**
   * @param td the TD report for a TDX quote, or null for SGX
   * @throws VerificationException {@link VerificationStep#TCB_LEVEL} if no level matches
   */
  static TcbLevel match(TcbInfo tcbInfo, SgxExtensions pck, TdReport td)
      throws VerificationException {
    List<TcbLevel> levels = new ArrayList<>(tcbInfo.tcbLevels());
    levels.sort(HIGHEST_FIRST);
    int[] teeTcbSvn = null;
    int tdxStart = 0;
    if (td != null) {
      byte[] raw = td.teeTcbSvn();
      teeTcbSvn = new int[raw.length];
      for (int i = 0; i < raw.length; i++) {
        teeTcbSvn[i] = raw[i] & 0xff;
      }
      // With a TDX module major version, bytes 0 and 1 (module SVN and version) are judged by
      // the TDX module identity instead of the platform level.
      tdxStart = teeTcbSvn[1] > 0 ? 2 : 0;
    }
    for (TcbLevel level : levels) {
      if (meets(level, pck, teeTcbSvn, tdxStart)) {
        return level;
      }
    }
    StringBuilder svns = new StringBuilder();
    int[] comps = pck.cpuSvnComponents();
    for (int i = 0; i < comps.length; i++) {
      svns.append(i == 0 ? "" : ",").append(comps[i]);
    }
    throw new VerificationException(
        VerificationStep.TCB_LEVEL,
        "no matching TCB level for the PCK certificate's"
            + " SGX components ["
            + svns
            + "] and PCESVN "
            + pck.pceSvn()
            + (td != null ? " with TEE_TCB_SVN " + Hex.toHexString(td.teeTcbSvn()) : "")
            + " among "
            + levels.size()
            + " levels of FMSPC "
            + Hex.toHexString(tcbInfo.fmspc()));
  }

  private static boolean meets(TcbLevel level, SgxExtensions pck, int[] teeTcbSvn, int tdxStart)
      throws VerificationException {
    for (int i = 0; i < TcbLevel.COMPONENTS; i++) {
      if (pck.cpuSvnComponent(i) < level.sgxComponent(i)) {
        return false;
      }
    }
    if (pck.pceSvn() < level.pceSvn()) {
      return false;
    }
    if (teeTcbSvn != null) {
      if (!level.hasTdxComponents()) {
        throw new VerificationException(
            VerificationStep.TCB_LEVEL, "TDX quote but the TCB level has no TDX components");
      }
      for (int i = tdxStart; i < TcbLevel.COMPONENTS; i++) {
        if (teeTcbSvn[i] < level.tdxComponent(i)) {
          return false;
        }
      }
    }
    return true;
  }
}
