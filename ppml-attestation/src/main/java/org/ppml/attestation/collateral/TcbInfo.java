package org.ppml.attestation.collateral;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Intel TCB Info (v2 for SGX, v3 for SGX and TDX): for one FMSPC, the platform TCB levels and, for
 * TDX, the TDX module identities.
 *
 * <p>The {@link #rawJson()} text is what Intel signed; the verifier checks that signature before it
 * relies on any parsed field.
 */
public final class TcbInfo {
  private final String rawJson;
  private final String id;
  private final int version;
  private final Instant issueDate;
  private final Instant nextUpdate;
  private final byte[] fmspc;
  private final byte[] pceId;
  private final int tcbType;
  private final int tcbEvaluationDataNumber;
  private final List<TcbLevel> tcbLevels;
  private final TdxModule tdxModule;
  private final List<TdxModule> tdxModuleIdentities;

  private TcbInfo(
      String rawJson,
      String id,
      int version,
      Instant issueDate,
      Instant nextUpdate,
      byte[] fmspc,
      byte[] pceId,
      int tcbType,
      int tcbEvaluationDataNumber,
      List<TcbLevel> tcbLevels,
      TdxModule tdxModule,
      List<TdxModule> tdxModuleIdentities) {
    this.rawJson = rawJson;
    this.id = id;
    this.version = version;
    this.issueDate = issueDate;
    this.nextUpdate = nextUpdate;
    this.fmspc = fmspc;
    this.pceId = pceId;
    this.tcbType = tcbType;
    this.tcbEvaluationDataNumber = tcbEvaluationDataNumber;
    this.tcbLevels = List.copyOf(tcbLevels);
    this.tdxModule = tdxModule;
    this.tdxModuleIdentities = List.copyOf(tdxModuleIdentities);
  }

  /**
   * Parses the raw text of the {@code tcbInfo} object (not the PCS envelope around it).
   *
   * @throws CollateralFormatException naming the first malformed field
   */
  public static TcbInfo parse(String rawJson) throws CollateralFormatException {
    String ctx = "tcbInfo";
    JsonNode n = StrictJson.parse(rawJson, ctx);
    int version = StrictJson.uint(n, "version", ctx, 0xffff);
    if (version != 2 && version != 3) {
      throw new CollateralFormatException(
          ctx + ".version " + version + " is not supported (2 or 3)");
    }
    // v2 has no id and is always SGX.
    String id = version == 2 ? "SGX" : StrictJson.text(n, "id", ctx);
    if (!id.equals("SGX") && !id.equals("TDX")) {
      throw new CollateralFormatException(ctx + ".id must be SGX or TDX");
    }
    boolean tdx = id.equals("TDX");
    Instant issue = StrictJson.instant(n, "issueDate", ctx);
    Instant next = StrictJson.instant(n, "nextUpdate", ctx);
    byte[] fmspc = StrictJson.hex(n, "fmspc", ctx, 6);
    byte[] pceId = StrictJson.hex(n, "pceId", ctx, 2);
    int tcbType = StrictJson.uint(n, "tcbType", ctx, 0xffff);
    int evaluation = StrictJson.uint(n, "tcbEvaluationDataNumber", ctx, Integer.MAX_VALUE);
    List<TcbLevel> levels = new ArrayList<>();
    int i = 0;
    for (JsonNode l : StrictJson.array(n, "tcbLevels", ctx, true)) {
      levels.add(TcbLevel.parse(l, version, tdx, ctx + ".tcbLevels[" + i++ + "]"));
    }
    if (levels.isEmpty()) {
      throw new CollateralFormatException(ctx + ".tcbLevels is empty");
    }
    TdxModule module = null;
    List<TdxModule> identities = new ArrayList<>();
    if (tdx) {
      if (StrictJson.has(n, "tdxModule")) {
        module = TdxModule.parse(n.get("tdxModule"), false, ctx + ".tdxModule");
      }
      i = 0;
      for (JsonNode m : StrictJson.array(n, "tdxModuleIdentities", ctx, false)) {
        identities.add(TdxModule.parse(m, true, ctx + ".tdxModuleIdentities[" + i++ + "]"));
      }
    }
    return new TcbInfo(
        rawJson,
        id,
        version,
        issue,
        next,
        fmspc,
        pceId,
        tcbType,
        evaluation,
        levels,
        module,
        identities);
  }

  /** The exact JSON text Intel signed. */
  public String rawJson() {
    return rawJson;
  }

  /** {@code SGX} or {@code TDX}. */
  public String id() {
    return id;
  }

  public boolean isTdx() {
    return "TDX".equals(id);
  }

  public int version() {
    return version;
  }

  public Instant issueDate() {
    return issueDate;
  }

  public Instant nextUpdate() {
    return nextUpdate;
  }

  public byte[] fmspc() {
    return fmspc.clone();
  }

  public byte[] pceId() {
    return pceId.clone();
  }

  public int tcbType() {
    return tcbType;
  }

  public int tcbEvaluationDataNumber() {
    return tcbEvaluationDataNumber;
  }

  /** The platform TCB levels in JSON order; the verifier sorts them itself. */
  public List<TcbLevel> tcbLevels() {
    return tcbLevels;
  }

  /** The legacy single TDX module identity, or null. */
  public TdxModule tdxModule() {
    return tdxModule;
  }

  /** The TDX module identities ({@code TDX_%02X}), possibly empty. */
  public List<TdxModule> tdxModuleIdentities() {
    return tdxModuleIdentities;
  }
}
