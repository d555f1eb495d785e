package org.ppml.attestation.quote;

import java.util.Arrays;
import org.bouncycastle.util.encoders.Hex;

/**
 * A TDX TD report body: 584 bytes for TD 1.0 (quote v4, or v5 body type 2), 648 bytes for TD 1.5
 * (quote v5 body type 3, which adds TEE_TCB_SVN2 and MRSERVICETD).
 */
public final class TdReport implements ReportBody {
  /** Encoded size of a TD 1.0 report. */
  public static final int SIZE_TD10 = 584;

  /** Encoded size of a TD 1.5 report. */
  public static final int SIZE_TD15 = 648;

  private static final int MEASUREMENT = 48;
  private static final int DEBUG_FLAG = 0x01; // TDATTRIBUTES.TUD.DEBUG, bit 0

  private final byte[] raw;

  private TdReport(byte[] raw) {
    this.raw = raw;
  }

  static TdReport read(BoundedReader r, int size, String field) throws QuoteFormatException {
    return new TdReport(r.bytes(field, size));
  }

  private byte[] slice(int from, int to) {
    return Arrays.copyOfRange(raw, from, to);
  }

  /** True for a TD 1.5 body. */
  public boolean isTd15() {
    return raw.length == SIZE_TD15;
  }

  /**
   * TEE_TCB_SVN: byte 0 is the TDX module SVN, byte 1 its major version, the rest platform SVNs.
   */
  public byte[] teeTcbSvn() {
    return slice(0, 16);
  }

  public byte[] mrSeam() {
    return slice(16, 64);
  }

  public byte[] mrSignerSeam() {
    return slice(64, 112);
  }

  public byte[] seamAttributes() {
    return slice(112, 120);
  }

  public byte[] tdAttributes() {
    return slice(120, 128);
  }

  public byte[] xfam() {
    return slice(128, 136);
  }

  public byte[] mrTd() {
    return slice(136, 184);
  }

  public byte[] mrConfigId() {
    return slice(184, 232);
  }

  public byte[] mrOwner() {
    return slice(232, 280);
  }

  public byte[] mrOwnerConfig() {
    return slice(280, 328);
  }

  /** RTMR {@code index} (0..3). */
  public byte[] rtmr(int index) {
    if (index < 0 || index > 3) {
      throw new IllegalArgumentException("RTMR index must be 0..3");
    }
    int from = 328 + index * MEASUREMENT;
    return slice(from, from + MEASUREMENT);
  }

  @Override
  public byte[] reportData() {
    return slice(520, 584);
  }

  /** TEE_TCB_SVN2 of a TD 1.5 report, or null for TD 1.0. */
  public byte[] teeTcbSvn2() {
    return isTd15() ? slice(584, 600) : null;
  }

  /** MRSERVICETD of a TD 1.5 report, or null for TD 1.0. */
  public byte[] mrServiceTd() {
    return isTd15() ? slice(600, 648) : null;
  }

  @Override
  public boolean debug() {
    return (raw[120] & DEBUG_FLAG) != 0;
  }

  @Override
  public byte[] encoded() {
    return raw.clone();
  }

  @Override
  public String toString() {
    return "TdReport[mrTd="
        + Hex.toHexString(mrTd())
        + ", td15="
        + isTd15()
        + ", debug="
        + debug()
        + "]";
  }
}
