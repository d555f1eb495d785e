package org.ppml.kms.token;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.util.encoders.DecoderException;
import org.bouncycastle.util.encoders.Hex;
import org.ppml.attestation.collateral.TcbStatus;
import org.ppml.attestation.policy.AttestedClaims;
import org.ppml.attestation.quote.TeeType;

/**
 * The token's claim names and their mapping to and from {@link AttestedClaims}. Measurements are
 * lower-case hex, as everywhere in PPML; the TEE key is the JWK itself plus its thumbprint under
 * {@code cnf.jkt} (RFC 7800).
 */
final class TokenClaims {
  static final String ISSUER = "ppml-kms";
  static final String TEE = "teeType";
  static final String SIMULATED = "simulated";
  static final String MR_ENCLAVE = "mrEnclave";
  static final String MR_SIGNER = "mrSigner";
  static final String ISV_PROD_ID = "isvProdId";
  static final String ISV_SVN = "isvSvn";
  static final String DEBUG = "debug";
  static final String TCB_STATUS = "tcbStatus";
  static final String ADVISORY_IDS = "advisoryIds";
  static final String TCB_EVALUATION = "tcbEvaluationDataNumber";
  static final String MR_TD = "mrTd";
  static final String TEE_PUBKEY = "tee-pubkey";
  static final String CNF = "cnf";
  static final String JKT = "jkt";

  private TokenClaims() {}

  static void put(JWTClaimsSet.Builder b, AttestedClaims c, JWK teeKey, String thumbprint) {
    b.claim(TEE, c.teeType().name());
    b.claim(SIMULATED, c.simulated());
    putHex(b, MR_ENCLAVE, c.mrEnclave());
    putHex(b, MR_SIGNER, c.mrSigner());
    b.claim(ISV_PROD_ID, c.isvProdId());
    b.claim(ISV_SVN, c.isvSvn());
    b.claim(DEBUG, c.debug());
    b.claim(TCB_STATUS, c.tcbStatus() == null ? null : c.tcbStatus().name());
    b.claim(ADVISORY_IDS, c.advisoryIds());
    b.claim(TCB_EVALUATION, c.tcbEvaluationDataNumber());
    putHex(b, MR_TD, c.mrTd());
    for (int i = 0; i < 4; i++) {
      putHex(b, "rtmr" + i, c.rtmr(i));
    }
    b.claim(TEE_PUBKEY, teeKey.toPublicJWK().toJSONObject());
    Map<String, Object> cnf = new LinkedHashMap<>();
    cnf.put(JKT, thumbprint);
    b.claim(CNF, cnf);
  }

  private static void putHex(JWTClaimsSet.Builder b, String name, byte[] v) {
    if (v != null) {
      b.claim(name, Hex.toHexString(v));
    }
  }

  /**
   * Rebuilds the claims; only tokens whose signature verified reach here, so every value was ours.
   */
  static AttestedClaims read(JWTClaimsSet s) throws ParseException {
    TeeType tee;
    TcbStatus status;
    try {
      tee = TeeType.valueOf(s.getStringClaim(TEE));
      String st = s.getStringClaim(TCB_STATUS);
      status = st == null ? null : TcbStatus.valueOf(st);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ParseException("unknown tee or tcbStatus", 0);
    }
    List<String> advisories = s.getStringListClaim(ADVISORY_IDS);
    byte[][] rtmrs = null;
    if (tee == TeeType.TDX) {
      rtmrs = new byte[4][];
      for (int i = 0; i < 4; i++) {
        rtmrs[i] = hex(s, "rtmr" + i);
      }
    }
    return new AttestedClaims(
        true,
        null,
        Boolean.TRUE.equals(s.getBooleanClaim(SIMULATED)),
        tee,
        s.getBooleanClaim(DEBUG),
        status,
        advisories == null ? new ArrayList<>() : advisories,
        s.getIntegerClaim(TCB_EVALUATION),
        hex(s, MR_ENCLAVE),
        hex(s, MR_SIGNER),
        s.getIntegerClaim(ISV_PROD_ID),
        s.getIntegerClaim(ISV_SVN),
        hex(s, MR_TD),
        rtmrs);
  }

  private static byte[] hex(JWTClaimsSet s, String name) throws ParseException {
    String v = s.getStringClaim(name);
    try {
      return v == null ? null : Hex.decode(v);
    } catch (DecoderException e) {
      throw new ParseException(name + " is not hex", 0);
    }
  }
}
