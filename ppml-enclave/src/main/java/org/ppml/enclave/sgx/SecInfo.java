package org.ppml.enclave.sgx;

/** SECINFO.FLAGS, the page permissions and page type that EADD measures with each page. */
public final class SecInfo {
  /** Readable. */
  public static final long R = 0x1;

  /** Writable. */
  public static final long W = 0x2;

  /** Executable. */
  public static final long X = 0x4;

  /** Page type TCS (thread control structure), in bits 8-15. */
  public static final long PT_TCS = 0x100;

  /** Page type REG (regular page), in bits 8-15. */
  public static final long PT_REG = 0x200;

  /**
   * @param flags SECINFO.FLAGS
   * @return e.g. {@code REG:RW-} or {@code TCS:---}, the notation gramine-sgx-sign prints
   */
  public static String describe(long flags) {
    long type = flags & 0xff00;
    String typeName =
        type == PT_REG ? "REG" : type == PT_TCS ? "TCS" : String.format("PT%02x", type >>> 8);
    return typeName
        + ":"
        + ((flags & R) != 0 ? 'R' : '-')
        + ((flags & W) != 0 ? 'W' : '-')
        + ((flags & X) != 0 ? 'X' : '-');
  }

  private SecInfo() {}
}
