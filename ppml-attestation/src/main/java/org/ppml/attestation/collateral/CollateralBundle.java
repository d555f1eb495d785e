package org.ppml.attestation.collateral;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.util.encoders.Hex;

/**
 * A collateral bundle (DESIGN.md §5): issuer chains in PEM, CRLs in hex DER, TCB Info and QE
 * Identity as raw JSON text with their signatures in hex (raw ECDSA r‖s).
 *
 * <p>The revocation fields ({@link #REVOCATION_FIELDS}) may be absent: some archived collateral
 * carries none, its owners checking revocation elsewhere. Whether a bundle without them can be used
 * is the CRL mode's decision ({@code CrlMode.requireRevocationData}), taken the same way wherever a
 * bundle is read. An absent field and an empty one both mean "no such CRL".
 *
 * <p>Parsing checks shape and encoding only; nothing here is trusted until {@code QuoteVerifier}
 * has checked the signatures.
 */
public final class CollateralBundle {
  /** The fields that carry revocation data, in the order messages name them. */
  public static final List<String> REVOCATION_FIELDS =
      List.of("root_ca_crl", "pck_crl", "pck_crl_issuer_chain");

  /** Largest bundle accepted; real ones are 15–20 KiB, PCK CRLs can grow to a few hundred KiB. */
  public static final int MAX_SIZE = 4 << 20;

  private final String pckCrlIssuerChain;
  private final byte[] rootCaCrl;
  private final byte[] pckCrl;
  private final String tcbInfoIssuerChain;
  private final TcbInfo tcbInfo;
  private final byte[] tcbInfoSignature;
  private final String qeIdentityIssuerChain;
  private final QeIdentity qeIdentity;
  private final byte[] qeIdentitySignature;

  /**
   * Assembles a bundle from its parts (used by the PCS client and the simulated provider). The
   * revocation parts may be null or empty when the bundle has none.
   */
  public CollateralBundle(
      String pckCrlIssuerChain,
      byte[] rootCaCrl,
      byte[] pckCrl,
      String tcbInfoIssuerChain,
      TcbInfo tcbInfo,
      byte[] tcbInfoSignature,
      String qeIdentityIssuerChain,
      QeIdentity qeIdentity,
      byte[] qeIdentitySignature) {
    this.pckCrlIssuerChain = pckCrlIssuerChain == null ? "" : pckCrlIssuerChain;
    this.rootCaCrl = rootCaCrl == null ? new byte[0] : rootCaCrl.clone();
    this.pckCrl = pckCrl == null ? new byte[0] : pckCrl.clone();
    this.tcbInfoIssuerChain = tcbInfoIssuerChain;
    this.tcbInfo = tcbInfo;
    this.tcbInfoSignature = tcbInfoSignature.clone();
    this.qeIdentityIssuerChain = qeIdentityIssuerChain;
    this.qeIdentity = qeIdentity;
    this.qeIdentitySignature = qeIdentitySignature.clone();
  }

  /** Parses a bundle from UTF-8 JSON bytes. */
  public static CollateralBundle parse(byte[] json) throws CollateralFormatException {
    if (json == null) {
      throw new CollateralFormatException("bundle is missing");
    }
    if (json.length > MAX_SIZE) {
      throw new CollateralFormatException("bundle is larger than " + MAX_SIZE + " bytes");
    }
    try {
      return parse(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(json))
              .toString());
    } catch (CharacterCodingException e) {
      throw new CollateralFormatException("bundle is not UTF-8");
    }
  }

  /** Parses a bundle from its JSON text. */
  public static CollateralBundle parse(String json) throws CollateralFormatException {
    String ctx = "bundle";
    JsonNode n = StrictJson.parse(json, ctx);
    String pckChain = StrictJson.optionalText(n, "pck_crl_issuer_chain", ctx);
    byte[] rootCrl = optionalHex(n, "root_ca_crl", ctx);
    byte[] pckCrl = optionalHex(n, "pck_crl", ctx);
    String tcbChain = StrictJson.text(n, "tcb_info_issuer_chain", ctx);
    TcbInfo tcb = TcbInfo.parse(StrictJson.text(n, "tcb_info", ctx));
    byte[] tcbSig = StrictJson.hex(n, "tcb_info_signature", ctx, 64);
    String qeChain = StrictJson.text(n, "qe_identity_issuer_chain", ctx);
    QeIdentity qe = QeIdentity.parse(StrictJson.text(n, "qe_identity", ctx));
    byte[] qeSig = StrictJson.hex(n, "qe_identity_signature", ctx, 64);
    return new CollateralBundle(
        pckChain, rootCrl, pckCrl, tcbChain, tcb, tcbSig, qeChain, qe, qeSig);
  }

  private static byte[] optionalHex(JsonNode n, String name, String ctx)
      throws CollateralFormatException {
    String s = StrictJson.optionalText(n, name, ctx);
    return s == null ? null : StrictJson.hexValue(s, ctx + "." + name, -1);
  }

  /**
   * The revocation fields this bundle lacks (absent or empty), in {@link #REVOCATION_FIELDS} order;
   * empty when it has them all.
   */
  public List<String> missingRevocationFields() {
    List<String> missing = new ArrayList<>();
    if (rootCaCrl.length == 0) {
      missing.add("root_ca_crl");
    }
    if (pckCrl.length == 0) {
      missing.add("pck_crl");
    }
    if (pckCrlIssuerChain.isEmpty()) {
      missing.add("pck_crl_issuer_chain");
    }
    return List.copyOf(missing);
  }

  /**
   * The bundle as JSON, with the same field names it is parsed from; revocation fields the bundle
   * lacks are left out.
   */
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    if (!pckCrlIssuerChain.isEmpty()) {
      o.put("pck_crl_issuer_chain", pckCrlIssuerChain);
    }
    if (rootCaCrl.length > 0) {
      o.put("root_ca_crl", Hex.toHexString(rootCaCrl));
    }
    if (pckCrl.length > 0) {
      o.put("pck_crl", Hex.toHexString(pckCrl));
    }
    o.put("tcb_info_issuer_chain", tcbInfoIssuerChain);
    o.put("tcb_info", tcbInfo.rawJson());
    o.put("tcb_info_signature", Hex.toHexString(tcbInfoSignature));
    o.put("qe_identity_issuer_chain", qeIdentityIssuerChain);
    o.put("qe_identity", qeIdentity.rawJson());
    o.put("qe_identity_signature", Hex.toHexString(qeIdentitySignature));
    return o;
  }

  /** PEM of the PCK CRL's issuer chain; empty when the bundle has none. */
  public String pckCrlIssuerChain() {
    return pckCrlIssuerChain;
  }

  /** DER of the Intel (or dev) root CA's CRL; empty when the bundle has none. */
  public byte[] rootCaCrl() {
    return rootCaCrl.clone();
  }

  /** DER of the PCK CA's CRL (Platform or Processor CA); empty when the bundle has none. */
  public byte[] pckCrl() {
    return pckCrl.clone();
  }

  public String tcbInfoIssuerChain() {
    return tcbInfoIssuerChain;
  }

  public TcbInfo tcbInfo() {
    return tcbInfo;
  }

  /** Raw r‖s ECDSA P-256 signature over {@code tcbInfo().rawJson()}. */
  public byte[] tcbInfoSignature() {
    return tcbInfoSignature.clone();
  }

  public String qeIdentityIssuerChain() {
    return qeIdentityIssuerChain;
  }

  public QeIdentity qeIdentity() {
    return qeIdentity;
  }

  /** Raw r‖s ECDSA P-256 signature over {@code qeIdentity().rawJson()}. */
  public byte[] qeIdentitySignature() {
    return qeIdentitySignature.clone();
  }
}
