package org.ppml.attestation.dcap;

import java.util.Arrays;
import org.bouncycastle.util.encoders.Hex;
import org.ppml.attestation.collateral.EnclaveTcbLevel;
import org.ppml.attestation.collateral.QeIdentity;
import org.ppml.attestation.quote.EnclaveReport;
import org.ppml.attestation.quote.TeeType;

/**
 * Step 9: the Quoting Enclave that signed the quote must be Intel's (QE Identity: MRSIGNER,
 * ISVPRODID, MISCSELECT and ATTRIBUTES under their masks), and its ISVSVN selects its TCB level.
 */
final class QeIdentityMatcher {
  private QeIdentityMatcher() {}

  static EnclaveTcbLevel match(QeIdentity identity, EnclaveReport qe, TeeType tee)
      throws VerificationException {
    String expectedId = tee == TeeType.TDX ? "TD_QE" : "QE";
    if (!expectedId.equals(identity.id())) {
      throw new VerificationException(
          VerificationStep.QE_IDENTITY,
          "a "
              + tee
              + " quote needs QE Identity "
              + expectedId
              + ", the collateral has "
              + identity.id());
    }
    if (!Arrays.equals(identity.mrSigner(), qe.mrSigner())) {
      throw new VerificationException(
          VerificationStep.QE_IDENTITY,
          "QE MRSIGNER "
              + Hex.toHexString(qe.mrSigner())
              + " is not "
              + Hex.toHexString(identity.mrSigner()));
    }
    if (identity.isvProdId() != qe.isvProdId()) {
      throw new VerificationException(
          VerificationStep.QE_IDENTITY,
          "QE ISVPRODID " + qe.isvProdId() + " is not " + identity.isvProdId());
    }
    if ((qe.miscSelect() & identity.miscSelectMask())
        != (identity.miscSelect() & identity.miscSelectMask())) {
      throw new VerificationException(VerificationStep.QE_IDENTITY, "QE MISCSELECT does not match");
    }
    if (!EnclaveTcbLevels.maskedEquals(
        qe.attributes(), identity.attributes(), identity.attributesMask())) {
      throw new VerificationException(VerificationStep.QE_IDENTITY, "QE ATTRIBUTES do not match");
    }
    return EnclaveTcbLevels.highestMet(identity.tcbLevels(), qe.isvSvn())
        .orElseThrow(
            () ->
                new VerificationException(
                    VerificationStep.QE_IDENTITY,
                    "QE ISVSVN " + qe.isvSvn() + " is below every QE Identity TCB level"));
  }
}
