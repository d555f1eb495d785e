package org.ppml.attestation.policy;

import java.util.List;
import org.ppml.attestation.collateral.TcbStatus;
import org.ppml.attestation.dcap.VerificationResult;
import org.ppml.attestation.quote.TeeType;

/**
 * The attested identity a {@link Policy} is evaluated against: what a verifier established about
 * one piece of evidence. It is either taken from a {@link VerificationResult} at verification time
 * or rebuilt from the signed claims of an attestation token, so a key broker can evaluate a key's
 * policy when the key is requested, long after the quote itself was verified.
 *
 * <p>Byte arrays are not copied; treat them as read-only. Fields that do not apply to the TEE type
 * are null.
 *
 * @param verified whether every DCAP step passed
 * @param errorCode the failing step's code when not verified, else null
 * @param simulated whether the evidence chained to a development root
 * @param teeType the TEE type, or null if the quote could not be parsed
 * @param debug whether the enclave or TD runs in debug mode, or null if unknown
 * @param tcbStatus the combined TCB status, or null if not verified
 * @param advisoryIds the advisory IDs of the matched TCB levels
 * @param tcbEvaluationDataNumber the collateral's TCB evaluation data number, or null
 * @param mrEnclave SGX MRENCLAVE
 * @param mrSigner SGX MRSIGNER
 * @param isvProdId SGX ISVPRODID
 * @param isvSvn SGX ISVSVN
 * @param mrTd TDX MRTD
 * @param rtmrs TDX RTMR0..3, or null for SGX
 */
public record AttestedClaims(
    boolean verified,
    String errorCode,
    boolean simulated,
    TeeType teeType,
    Boolean debug,
    TcbStatus tcbStatus,
    List<String> advisoryIds,
    Integer tcbEvaluationDataNumber,
    byte[] mrEnclave,
    byte[] mrSigner,
    Integer isvProdId,
    Integer isvSvn,
    byte[] mrTd,
    byte[][] rtmrs) {

  public AttestedClaims {
    advisoryIds = advisoryIds == null ? List.of() : List.copyOf(advisoryIds);
  }

  /** The claims a verification result establishes. */
  public static AttestedClaims of(VerificationResult r) {
    byte[][] rtmrs = null;
    if (r.teeType() == TeeType.TDX) {
      rtmrs = new byte[4][];
      for (int i = 0; i < 4; i++) {
        rtmrs[i] = r.rtmr(i);
      }
    }
    return new AttestedClaims(
        r.verified(),
        r.error() == null ? null : r.error().code(),
        r.simulated(),
        r.teeType(),
        r.debug(),
        r.tcbStatus(),
        r.advisoryIds(),
        r.tcbEvaluationDataNumber(),
        r.mrEnclave(),
        r.mrSigner(),
        r.isvProdId(),
        r.isvSvn(),
        r.mrTd(),
        rtmrs);
  }

  /** RTMR {@code index}, or null when not a TD. */
  public byte[] rtmr(int index) {
    return rtmrs == null ? null : rtmrs[index];
  }

  @Override
  public String toString() {
    return "AttestedClaims[verified="
        + verified
        + ", tee="
        + teeType
        + ", tcbStatus="
        + tcbStatus
        + (simulated ? ", simulated" : "")
        + "]";
  }
}
