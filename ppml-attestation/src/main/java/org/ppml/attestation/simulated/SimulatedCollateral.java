package org.ppml.attestation.simulated;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.util.encoders.Hex;
import org.ppml.attestation.collateral.CollateralBundle;
import org.ppml.attestation.collateral.CollateralFormatException;
import org.ppml.attestation.collateral.QeIdentity;
import org.ppml.attestation.collateral.TcbInfo;
import org.ppml.attestation.collateral.TcbStatus;

/**
 * Builds a collateral bundle for the simulated platform, signed by the dev PKI exactly as Intel
 * signs real collateral (TCB Info and QE Identity signatures over their JSON text, CRLs by the root
 * and PCK CAs).
 *
 * <p>The setters exist so tests can produce well-signed but wrong collateral (another FMSPC,
 * another QE identity, a revoked PCK certificate or TCB level, one item expired, a signer without
 * the TCB signing role).
 */
public final class SimulatedCollateral {
  private final DevPki pki;
  private final Instant issueDate;
  private Instant tcbInfoNextUpdate;
  private Instant qeIdentityNextUpdate;
  private Instant pckCrlNextUpdate;
  private Instant rootCrlNextUpdate;
  private byte[] fmspc = DevPlatform.FMSPC;
  private TcbStatus tcbStatus = TcbStatus.UpToDate;
  private byte[] qeMrSigner = DevPlatform.QE_MRSIGNER;
  private int qeIsvProdId = DevPlatform.QE_ISV_PROD_ID;
  private String qeMiscSelect = "00000000";
  private String qeMiscSelectMask = "FFFFFFFF";
  private String qeAttributes = "11000000000000000000000000000000";
  private String qeAttributesMask = "FBFFFFFFFFFFFFFF0000000000000000";
  private PrivateKey tcbInfoKey;
  private String tcbInfoChain;
  private PrivateKey qeIdentityKey;
  private String qeIdentityChain;
  private final List<BigInteger> revokedPckSerials = new ArrayList<>();

  private SimulatedCollateral(DevPki pki, Instant issueDate, Instant nextUpdate) {
    this.pki = pki;
    this.issueDate = issueDate.truncatedTo(ChronoUnit.SECONDS);
    Instant next = nextUpdate.truncatedTo(ChronoUnit.SECONDS);
    this.tcbInfoNextUpdate = next;
    this.qeIdentityNextUpdate = next;
    this.pckCrlNextUpdate = next;
    this.rootCrlNextUpdate = next;
  }

  /** Collateral valid from {@code issueDate} to {@code nextUpdate}. */
  public static SimulatedCollateral of(DevPki pki, Instant issueDate, Instant nextUpdate) {
    return new SimulatedCollateral(pki, issueDate, nextUpdate);
  }

  /** Describe another FMSPC than the dev PCK certificate's. */
  public SimulatedCollateral fmspc(byte[] value) {
    this.fmspc = value.clone();
    return this;
  }

  /** The status of the platform's TCB level (UpToDate by default). */
  public SimulatedCollateral tcbStatus(TcbStatus value) {
    this.tcbStatus = value;
    return this;
  }

  /** Describe another Quoting Enclave signer. */
  public SimulatedCollateral qeMrSigner(byte[] value) {
    this.qeMrSigner = value.clone();
    return this;
  }

  /** Describe another Quoting Enclave ISVPRODID. */
  public SimulatedCollateral qeIsvProdId(int value) {
    this.qeIsvProdId = value;
    return this;
  }

  /**
   * QE Identity {@code miscselect} and {@code miscselectMask}, as big-endian hex (8 digits each).
   */
  public SimulatedCollateral qeMiscSelect(String value, String mask) {
    this.qeMiscSelect = value;
    this.qeMiscSelectMask = mask;
    return this;
  }

  /** QE Identity {@code attributes} and {@code attributesMask}, as hex (32 digits each). */
  public SimulatedCollateral qeAttributes(String value, String mask) {
    this.qeAttributes = value;
    this.qeAttributesMask = mask;
    return this;
  }

  /** TCB Info's {@code nextUpdate} alone. */
  public SimulatedCollateral tcbInfoNextUpdate(Instant value) {
    this.tcbInfoNextUpdate = value.truncatedTo(ChronoUnit.SECONDS);
    return this;
  }

  /** QE Identity's {@code nextUpdate} alone. */
  public SimulatedCollateral qeIdentityNextUpdate(Instant value) {
    this.qeIdentityNextUpdate = value.truncatedTo(ChronoUnit.SECONDS);
    return this;
  }

  /** The PCK CRL's {@code nextUpdate} alone. */
  public SimulatedCollateral pckCrlNextUpdate(Instant value) {
    this.pckCrlNextUpdate = value.truncatedTo(ChronoUnit.SECONDS);
    return this;
  }

  /** The root CA CRL's {@code nextUpdate} alone. */
  public SimulatedCollateral rootCrlNextUpdate(Instant value) {
    this.rootCrlNextUpdate = value.truncatedTo(ChronoUnit.SECONDS);
    return this;
  }

  /** Sign TCB Info with {@code key} and ship {@code issuerChainPem} as its issuer chain. */
  SimulatedCollateral tcbInfoSigner(PrivateKey key, String issuerChainPem) {
    this.tcbInfoKey = key;
    this.tcbInfoChain = issuerChainPem;
    return this;
  }

  /** Sign QE Identity with {@code key} and ship {@code issuerChainPem} as its issuer chain. */
  SimulatedCollateral qeIdentitySigner(PrivateKey key, String issuerChainPem) {
    this.qeIdentityKey = key;
    this.qeIdentityChain = issuerChainPem;
    return this;
  }

  /** List {@code serial} in the PCK CRL. */
  public SimulatedCollateral revokePck(BigInteger serial) {
    revokedPckSerials.add(serial);
    return this;
  }

  /** Signs and assembles the bundle. */
  public CollateralBundle build() throws GeneralSecurityException, IOException {
    String tcbInfo = tcbInfoJson();
    String qeIdentity = qeIdentityJson();
    PrivateKey tcbKey = tcbInfoKey != null ? tcbInfoKey : pki.tcbSigningKey();
    PrivateKey qeKey = qeIdentityKey != null ? qeIdentityKey : pki.tcbSigningKey();
    try {
      return new CollateralBundle(
          pki.pckCrlIssuerChainPem(),
          pki.rootCrl(List.of(), issueDate, rootCrlNextUpdate).getEncoded(),
          pki.pckCrl(revokedPckSerials, issueDate, pckCrlNextUpdate).getEncoded(),
          tcbInfoChain != null ? tcbInfoChain : pki.tcbSigningChainPem(),
          TcbInfo.parse(tcbInfo),
          RawEcdsa.sign(tcbKey, tcbInfo.getBytes(StandardCharsets.UTF_8)),
          qeIdentityChain != null ? qeIdentityChain : pki.tcbSigningChainPem(),
          QeIdentity.parse(qeIdentity),
          RawEcdsa.sign(qeKey, qeIdentity.getBytes(StandardCharsets.UTF_8)));
    } catch (CollateralFormatException e) {
      throw new IllegalStateException("generated collateral does not parse: " + e.getMessage(), e);
    }
  }

  private static String upperHex(byte[] b) {
    return Hex.toHexString(b).toUpperCase(Locale.ROOT);
  }

  private String tcbInfoJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode o = f.objectNode();
    o.put("id", "SGX");
    o.put("version", 3);
    o.put("issueDate", issueDate.toString());
    o.put("nextUpdate", tcbInfoNextUpdate.toString());
    o.put("fmspc", upperHex(fmspc));
    o.put("pceId", upperHex(DevPlatform.PCE_ID));
    o.put("tcbType", 0);
    o.put("tcbEvaluationDataNumber", DevPlatform.TCB_EVALUATION_DATA_NUMBER);
    ArrayNode levels = o.putArray("tcbLevels");
    ObjectNode level = levels.addObject();
    ObjectNode tcb = level.putObject("tcb");
    ArrayNode comps = tcb.putArray("sgxtcbcomponents");
    for (int svn : DevPlatform.CPU_SVN) {
      comps.addObject().put("svn", svn);
    }
    tcb.put("pcesvn", DevPlatform.PCE_SVN);
    level.put("tcbDate", issueDate.truncatedTo(ChronoUnit.DAYS).toString());
    level.put("tcbStatus", tcbStatus.name());
    return o.toString();
  }

  private String qeIdentityJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("id", "QE");
    o.put("version", 2);
    o.put("issueDate", issueDate.toString());
    o.put("nextUpdate", qeIdentityNextUpdate.toString());
    o.put("tcbEvaluationDataNumber", DevPlatform.TCB_EVALUATION_DATA_NUMBER);
    o.put("miscselect", qeMiscSelect);
    o.put("miscselectMask", qeMiscSelectMask);
    o.put("attributes", qeAttributes);
    o.put("attributesMask", qeAttributesMask);
    o.put("mrsigner", upperHex(qeMrSigner));
    o.put("isvprodid", qeIsvProdId);
    ObjectNode level = o.putArray("tcbLevels").addObject();
    level.putObject("tcb").put("isvsvn", DevPlatform.QE_ISV_SVN);
    level.put("tcbDate", issueDate.truncatedTo(ChronoUnit.DAYS).toString());
    level.put("tcbStatus", "UpToDate");
    return o.toString();
  }
}
