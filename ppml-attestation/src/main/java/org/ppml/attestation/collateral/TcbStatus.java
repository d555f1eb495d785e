package org.ppml.attestation.collateral;

/** The TCB status values Intel's TCB Info, QE Identity and TDX module identities use. */
public enum TcbStatus {
  UpToDate,
  SWHardeningNeeded,
  ConfigurationNeeded,
  ConfigurationAndSWHardeningNeeded,
  OutOfDate,
  OutOfDateConfigurationNeeded,
  Revoked;

  /** Parses the exact JSON spelling; anything else is malformed collateral. */
  public static TcbStatus parse(String s, String where) throws CollateralFormatException {
    for (TcbStatus t : values()) {
      if (t.name().equals(s)) {
        return t;
      }
    }
    throw new CollateralFormatException(
        where + " has unknown TCB status \"" + abbreviate(s) + "\"");
  }

  static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
