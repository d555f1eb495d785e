package org.ppml.attestation.pcs;

import org.bouncycastle.util.encoders.Hex;
import org.ppml.attestation.collateral.CollateralFormatException;

/** Hex decoding of fetched values with an exact expected length. */
final class StrictHex {
  private StrictHex() {}

  static byte[] decode(String s, int length, String what) throws CollateralFormatException {
    if (s.length() != length * 2 || !s.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw new CollateralFormatException(what + " must be " + length + " bytes of hex");
    }
    return Hex.decode(s);
  }
}
