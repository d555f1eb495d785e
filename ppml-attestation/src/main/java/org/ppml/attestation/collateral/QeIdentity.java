package org.ppml.attestation.collateral;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Intel's QE Identity (v2): the expected identity of the Quoting Enclave (id {@code QE}) or the TD
 * Quoting Enclave ({@code TD_QE}), and its TCB levels keyed by ISV SVN.
 *
 * <p>As with {@link TcbInfo}, {@link #rawJson()} is the signed text.
 */
public final class QeIdentity {
  private final String rawJson;
  private final String id;
  private final int version;
  private final Instant issueDate;
  private final Instant nextUpdate;
  private final int tcbEvaluationDataNumber;
  private final long miscSelect;
  private final long miscSelectMask;
  private final byte[] attributes;
  private final byte[] attributesMask;
  private final byte[] mrSigner;
  private final int isvProdId;
  private final List<EnclaveTcbLevel> tcbLevels;

  private QeIdentity(
      String rawJson,
      String id,
      int version,
      Instant issueDate,
      Instant nextUpdate,
      int tcbEvaluationDataNumber,
      long miscSelect,
      long miscSelectMask,
      byte[] attributes,
      byte[] attributesMask,
      byte[] mrSigner,
      int isvProdId,
      List<EnclaveTcbLevel> tcbLevels) {
    this.rawJson = rawJson;
    this.id = id;
    this.version = version;
    this.issueDate = issueDate;
    this.nextUpdate = nextUpdate;
    this.tcbEvaluationDataNumber = tcbEvaluationDataNumber;
    this.miscSelect = miscSelect;
    this.miscSelectMask = miscSelectMask;
    this.attributes = attributes;
    this.attributesMask = attributesMask;
    this.mrSigner = mrSigner;
    this.isvProdId = isvProdId;
    this.tcbLevels = List.copyOf(tcbLevels);
  }

  /**
   * Parses the raw text of the {@code enclaveIdentity} object.
   *
   * @throws CollateralFormatException naming the first malformed field
   */
  public static QeIdentity parse(String rawJson) throws CollateralFormatException {
    String ctx = "qeIdentity";
    JsonNode n = StrictJson.parse(rawJson, ctx);
    int version = StrictJson.uint(n, "version", ctx, 0xffff);
    if (version != 2) {
      throw new CollateralFormatException(ctx + ".version " + version + " is not supported (2)");
    }
    String id = StrictJson.text(n, "id", ctx);
    if (!id.equals("QE") && !id.equals("TD_QE") && !id.equals("QVE")) {
      throw new CollateralFormatException(ctx + ".id must be QE, TD_QE or QVE");
    }
    Instant issue = StrictJson.instant(n, "issueDate", ctx);
    Instant next = StrictJson.instant(n, "nextUpdate", ctx);
    int evaluation = StrictJson.uint(n, "tcbEvaluationDataNumber", ctx, Integer.MAX_VALUE);
    // MISCSELECT is written as a big-endian 32-bit number in hex.
    long misc = toU32(StrictJson.hex(n, "miscselect", ctx, 4));
    long miscMask = toU32(StrictJson.hex(n, "miscselectMask", ctx, 4));
    byte[] attrs = StrictJson.hex(n, "attributes", ctx, 16);
    byte[] attrsMask = StrictJson.hex(n, "attributesMask", ctx, 16);
    byte[] signer = StrictJson.hex(n, "mrsigner", ctx, 32);
    int prodId = StrictJson.uint(n, "isvprodid", ctx, 0xffff);
    List<EnclaveTcbLevel> levels = new ArrayList<>();
    int i = 0;
    for (JsonNode l : StrictJson.array(n, "tcbLevels", ctx, true)) {
      levels.add(EnclaveTcbLevel.parse(l, ctx + ".tcbLevels[" + i++ + "]"));
    }
    if (levels.isEmpty()) {
      throw new CollateralFormatException(ctx + ".tcbLevels is empty");
    }
    return new QeIdentity(
        rawJson,
        id,
        version,
        issue,
        next,
        evaluation,
        misc,
        miscMask,
        attrs,
        attrsMask,
        signer,
        prodId,
        levels);
  }

  private static long toU32(byte[] b) {
    return (b[0] & 0xffL) << 24 | (b[1] & 0xffL) << 16 | (b[2] & 0xffL) << 8 | (b[3] & 0xffL);
  }

  public String rawJson() {
    return rawJson;
  }

  /** {@code QE}, {@code TD_QE} or {@code QVE}. */
  public String id() {
    return id;
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

  public int tcbEvaluationDataNumber() {
    return tcbEvaluationDataNumber;
  }

  public long miscSelect() {
    return miscSelect;
  }

  public long miscSelectMask() {
    return miscSelectMask;
  }

  public byte[] attributes() {
    return attributes.clone();
  }

  public byte[] attributesMask() {
    return attributesMask.clone();
  }

  public byte[] mrSigner() {
    return mrSigner.clone();
  }

  public int isvProdId() {
    return isvProdId;
  }

  public List<EnclaveTcbLevel> tcbLevels() {
    return tcbLevels;
  }
}
