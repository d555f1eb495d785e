package org.ppml.attestation.simulated;

import org.bouncycastle.util.encoders.Hex;

/**
 * The fixed identity of the simulated SGX platform and Quoting Enclave: the values the dev PCK
 * certificate certifies and the dev collateral describes. They are deliberately unlike any real
 * Intel FMSPC, so dev collateral can never be mistaken for a real platform's.
 */
public final class DevPlatform {
  /** FMSPC of the simulated platform. */
  public static final byte[] FMSPC = Hex.decode("ffffff00d0e0");

  /** PCE-ID of the simulated platform. */
  public static final byte[] PCE_ID = Hex.decode("0000");

  /** Certified CPU SVN components. */
  public static final int[] CPU_SVN = {2, 2, 2, 2, 3, 1, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0};

  /** Certified PCE SVN. */
  public static final int PCE_SVN = 13;

  /** Stand-in MRSIGNER of the simulated Quoting Enclave. */
  public static final byte[] QE_MRSIGNER =
      Hex.decode("0ddee0000000000000000000000000000000000000000000000000000000d0e0");

  /** ISVPRODID of the simulated QE (Intel's SGX QE uses 1). */
  public static final int QE_ISV_PROD_ID = 1;

  /** ISVSVN of the simulated QE. */
  public static final int QE_ISV_SVN = 8;

  /** TCB evaluation data number written into dev collateral. */
  public static final int TCB_EVALUATION_DATA_NUMBER = 17;

  private DevPlatform() {}
}
