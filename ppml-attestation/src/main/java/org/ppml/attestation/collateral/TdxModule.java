package org.ppml.attestation.collateral;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A TDX module's expected identity from TCB Info: the SEAM signer (MRSIGNERSEAM), SEAM attributes
 * under a mask, and (for the entries of {@code tdxModuleIdentities}) an id {@code TDX_%02X} plus
 * ISV-SVN keyed TCB levels. The legacy {@code tdxModule} object has no id and no levels.
 */
public final class TdxModule {
  private final String id;
  private final byte[] mrSigner;
  private final byte[] attributes;
  private final byte[] attributesMask;
  private final List<EnclaveTcbLevel> tcbLevels;

  private TdxModule(
      String id,
      byte[] mrSigner,
      byte[] attributes,
      byte[] attributesMask,
      List<EnclaveTcbLevel> tcbLevels) {
    this.id = id;
    this.mrSigner = mrSigner;
    this.attributes = attributes;
    this.attributesMask = attributesMask;
    this.tcbLevels = List.copyOf(tcbLevels);
  }

  static TdxModule parse(JsonNode n, boolean identity, String ctx)
      throws CollateralFormatException {
    if (!n.isObject()) {
      throw new CollateralFormatException(ctx + " must be an object");
    }
    String id = identity ? StrictJson.text(n, "id", ctx) : null;
    byte[] signer = StrictJson.hex(n, "mrsigner", ctx, 48);
    byte[] attrs = StrictJson.hex(n, "attributes", ctx, 8);
    byte[] mask = StrictJson.hex(n, "attributesMask", ctx, 8);
    List<EnclaveTcbLevel> levels = new ArrayList<>();
    if (identity) {
      int i = 0;
      for (JsonNode l : StrictJson.array(n, "tcbLevels", ctx, true)) {
        levels.add(EnclaveTcbLevel.parse(l, ctx + ".tcbLevels[" + i++ + "]"));
      }
    }
    return new TdxModule(id, signer, attrs, mask, levels);
  }

  /** The identity id such as {@code TDX_01}, or null for the legacy {@code tdxModule} object. */
  public String id() {
    return id;
  }

  public byte[] mrSigner() {
    return mrSigner.clone();
  }

  public byte[] attributes() {
    return attributes.clone();
  }

  public byte[] attributesMask() {
    return attributesMask.clone();
  }

  public List<EnclaveTcbLevel> tcbLevels() {
    return tcbLevels;
  }
}
