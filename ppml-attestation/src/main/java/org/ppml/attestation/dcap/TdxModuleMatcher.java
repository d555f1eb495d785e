package org.ppml.attestation.dcap;

import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.util.encoders.Hex;
import org.ppml.attestation.collateral.EnclaveTcbLevel;
import org.ppml.attestation.collateral.TcbInfo;
import org.ppml.attestation.collateral.TdxModule;
import org.ppml.attestation.quote.TdReport;

/**
 * Step 8 for TDX: the TDX module that produced the TD report must be the one TCB Info describes.
 *
 * <p>TEE_TCB_SVN byte 1 is the module's major version and byte 0 its SVN. With a non-zero version
 * the module identity {@code TDX_%02X} supplies MRSIGNERSEAM, SEAMATTRIBUTES under a mask, and TCB
 * levels keyed by the SVN; with version 0 only the legacy {@code tdxModule} object is checked.
 */
final class TdxModuleMatcher {
  private TdxModuleMatcher() {}

  /**
   * @return the module's TCB level, or empty when the TCB Info gives the module no levels
   */
  static Optional<EnclaveTcbLevel> match(TcbInfo tcbInfo, TdReport td)
      throws VerificationException {
    byte[] tee = td.teeTcbSvn();
    int moduleSvn = tee[0] & 0xff;
    int moduleVersion = tee[1] & 0xff;
    if (moduleVersion > 0 && !tcbInfo.tdxModuleIdentities().isEmpty()) {
      String id = String.format("TDX_%02X", moduleVersion);
      TdxModule identity =
          tcbInfo.tdxModuleIdentities().stream()
              .filter(m -> id.equals(m.id()))
              .findFirst()
              .orElseThrow(
                  () ->
                      new VerificationException(
                          VerificationStep.TDX_MODULE,
                          "TCB Info has no TDX module identity " + id));
      checkIdentity(identity, td, id);
      return Optional.of(
          EnclaveTcbLevels.highestMet(identity.tcbLevels(), moduleSvn)
              .orElseThrow(
                  () ->
                      new VerificationException(
                          VerificationStep.TDX_MODULE,
                          "no TCB level of " + id + " matches TDX module SVN " + moduleSvn)));
    }
    if (tcbInfo.tdxModule() != null) {
      checkIdentity(tcbInfo.tdxModule(), td, "tdxModule");
    }
    return Optional.empty();
  }

  private static void checkIdentity(TdxModule module, TdReport td, String name)
      throws VerificationException {
    if (!Arrays.equals(module.mrSigner(), td.mrSignerSeam())) {
      throw new VerificationException(
          VerificationStep.TDX_MODULE,
          "MRSIGNERSEAM " + Hex.toHexString(td.mrSignerSeam()) + " is not the signer of " + name);
    }
    if (!EnclaveTcbLevels.maskedEquals(
        td.seamAttributes(), module.attributes(), module.attributesMask())) {
      throw new VerificationException(
          VerificationStep.TDX_MODULE,
          "SEAMATTRIBUTES " + Hex.toHexString(td.seamAttributes()) + " do not match " + name);
    }
  }
}
