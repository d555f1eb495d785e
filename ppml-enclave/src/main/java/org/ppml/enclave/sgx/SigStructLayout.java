package org.ppml.enclave.sgx;

/**
 * Byte offsets of the SIGSTRUCT fields (Intel SDM Vol. 3D, "Enclave Signature Structure"). Kept in
 * one place so that the full structure and its signed part agree on them.
 */
final class SigStructLayout {
  static final int SIZE = 1808;

  static final int HEADER = 0;
  static final int VENDOR = 16;
  static final int DATE = 20;
  static final int HEADER2 = 24;
  static final int SW_DEFINED = 40;
  static final int RESERVED1 = 44;
  static final int MODULUS = 128;
  static final int EXPONENT = 512;
  static final int SIGNATURE = 516;
  static final int MISC_SELECT = 900;
  static final int MISC_MASK = 904;
  static final int CET_ATTRIBUTES = 908;
  static final int CET_ATTRIBUTES_MASK = 909;
  static final int ISV_FAMILY_ID = 912;
  static final int ATTRIBUTES = 928;
  static final int ATTRIBUTE_MASK = 944;
  static final int ENCLAVE_HASH = 960;
  static final int ISV_EXT_PROD_ID = 1008;
  static final int ISV_PROD_ID = 1024;
  static final int ISV_SVN = 1026;
  static final int RESERVED4 = 1028;
  static final int Q1 = 1040;
  static final int Q2 = 1424;

  static final int KEY_BYTES = 384;

  /** The signature covers [0, 128) followed by [900, 1028). */
  static final int SIGNED_FIRST_END = 128;

  static final int SIGNED_SECOND_START = MISC_SELECT;
  static final int SIGNED_SECOND_END = RESERVED4;
  static final int SIGNED_DATA_SIZE = SIGNED_FIRST_END + (SIGNED_SECOND_END - SIGNED_SECOND_START);

  static final byte[] HEADER_VALUE = {
    0x06, 0, 0, 0, (byte) 0xe1, 0, 0, 0, 0, 0, 0x01, 0, 0, 0, 0, 0
  };
  static final byte[] HEADER2_VALUE = {
    0x01, 0x01, 0, 0, 0x60, 0, 0, 0, 0x60, 0, 0, 0, 0x01, 0, 0, 0
  };

  /** Maps a SIGSTRUCT offset in the signed range to its index in the 256-byte signed data. */
  static int signedIndex(int sigStructOffset) {
    if (sigStructOffset < SIGNED_FIRST_END) {
      return sigStructOffset;
    }
    if (sigStructOffset >= SIGNED_SECOND_START && sigStructOffset < SIGNED_SECOND_END) {
      return SIGNED_FIRST_END + (sigStructOffset - SIGNED_SECOND_START);
    }
    throw new IllegalArgumentException("offset " + sigStructOffset + " is not signed");
  }

  private SigStructLayout() {}
}
