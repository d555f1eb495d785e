package org.ppml.attestation.collateral;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * One platform TCB level of a TCB Info: the 16 SGX component SVNs and PCESVN (and, for TDX, the 16
 * TDX component SVNs) a platform must meet or exceed to have {@link #status()}.
 *
 * <p>SVNs are stored as unsigned values 0..255 (PCESVN 0..65535).
 */
public final class TcbLevel {
  /** Number of SGX (and TDX) TCB components. */
  public static final int COMPONENTS = 16;

  private final int[] sgxComponents;
  private final int pceSvn;
  private final int[] tdxComponents;
  private final Instant tcbDate;
  private final TcbStatus status;
  private final List<String> advisoryIds;

  TcbLevel(
      int[] sgxComponents,
      int pceSvn,
      int[] tdxComponents,
      Instant tcbDate,
      TcbStatus status,
      List<String> advisoryIds) {
    this.sgxComponents = sgxComponents;
    this.pceSvn = pceSvn;
    this.tdxComponents = tdxComponents;
    this.tcbDate = tcbDate;
    this.status = status;
    this.advisoryIds = List.copyOf(advisoryIds);
  }

  static TcbLevel parse(JsonNode n, int version, boolean tdx, String ctx)
      throws CollateralFormatException {
    if (!n.isObject()) {
      throw new CollateralFormatException(ctx + " must be an object");
    }
    JsonNode tcb = StrictJson.object(n, "tcb", ctx);
    int[] sgx = new int[COMPONENTS];
    int[] tdxSvns = null;
    if (version == 2) {
      // v2 spells the components as sgxtcbcomp01svn .. sgxtcbcomp16svn.
      for (int i = 0; i < COMPONENTS; i++) {
        sgx[i] = StrictJson.uint(tcb, String.format("sgxtcbcomp%02dsvn", i + 1), ctx + ".tcb", 255);
      }
    } else {
      sgx = components(tcb, "sgxtcbcomponents", ctx + ".tcb");
      if (tdx) {
        tdxSvns = components(tcb, "tdxtcbcomponents", ctx + ".tcb");
      }
    }
    int pce = StrictJson.uint(tcb, "pcesvn", ctx + ".tcb", 0xffff);
    Instant date = StrictJson.instant(n, "tcbDate", ctx);
    TcbStatus status = TcbStatus.parse(StrictJson.text(n, "tcbStatus", ctx), ctx + ".tcbStatus");
    return new TcbLevel(
        sgx, pce, tdxSvns, date, status, StrictJson.textArray(n, "advisoryIDs", ctx));
  }

  private static int[] components(JsonNode tcb, String name, String ctx)
      throws CollateralFormatException {
    List<JsonNode> list = StrictJson.array(tcb, name, ctx, true);
    if (list.size() != COMPONENTS) {
      throw new CollateralFormatException(
          ctx + "." + name + " must have " + COMPONENTS + " entries");
    }
    int[] out = new int[COMPONENTS];
    for (int i = 0; i < COMPONENTS; i++) {
      JsonNode c = list.get(i);
      if (!c.isObject()) {
        throw new CollateralFormatException(ctx + "." + name + "[" + i + "] must be an object");
      }
      out[i] = StrictJson.uint(c, "svn", ctx + "." + name + "[" + i + "]", 255);
    }
    return out;
  }

  /** SGX component SVN {@code i} (0-based), unsigned. */
  public int sgxComponent(int i) {
    return sgxComponents[i];
  }

  public int[] sgxComponents() {
    return sgxComponents.clone();
  }

  public int pceSvn() {
    return pceSvn;
  }

  /** True if this level lists TDX components (TDX TCB Info v3). */
  public boolean hasTdxComponents() {
    return tdxComponents != null;
  }

  /** TDX component SVN {@code i} (0-based), unsigned; only when {@link #hasTdxComponents()}. */
  public int tdxComponent(int i) {
    return tdxComponents[i];
  }

  public int[] tdxComponents() {
    return tdxComponents == null ? null : tdxComponents.clone();
  }

  public Instant tcbDate() {
    return tcbDate;
  }

  public TcbStatus status() {
    return status;
  }

  public List<String> advisoryIds() {
    return advisoryIds;
  }

  @Override
  public String toString() {
    return "TcbLevel[" + status + ", pcesvn=" + pceSvn + ", date=" + tcbDate + "]";
  }
}
