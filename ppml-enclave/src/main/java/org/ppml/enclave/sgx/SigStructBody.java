package org.ppml.enclave.sgx;

import static org.ppml.enclave.sgx.SigStructLayout.*;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * The signed part of a SIGSTRUCT: bytes [0,128) followed by [900,1028), 256 bytes in all.
 *
 * <p>This is exactly what the enclave key signs (PKCS#1 v1.5, SHA-256), so in two-step signing it
 * is the file handed to the offline HSM ({@code gendata}), and what {@code catsig} reads back. The
 * 256 bytes are the source of truth: reserved bytes are carried through untouched, so a signature
 * over them stays valid.
 *
 * <p>Build one with {@link #builder()}; its defaults are the ones {@code gramine-sgx-sign} uses.
 */
public final class SigStructBody {

  /** MISCSELECT bit 0: report page-fault and #GP details in the SSA (Gramine's use_exinfo). */
  public static final long MISCSELECT_EXINFO = 0x1L;

  /** Gramine's MISCMASK: every MISCSELECT bit is enforced. */
  public static final long DEFAULT_MISC_MASK = 0xffffffffL;

  /** Gramine's FLAGS mask: every FLAGS bit is enforced. */
  public static final long DEFAULT_FLAGS_MASK = 0xffffffffffffffffL;

  /**
   * Gramine's XFRM mask: x87, SSE, MPX, PKRU and all reserved bits are enforced; AVX, AVX-512 and
   * AMX are not, so one SIGSTRUCT runs on machines with and without them.
   */
  public static final long DEFAULT_XFRM_MASK = 0xfffffffffff9ff1bL;

  private final byte[] data;

  private SigStructBody(byte[] data) {
    this.data = data;
  }

  /**
   * Reads signed data, e.g. the {@code data.bin} of two-step signing.
   *
   * @param signedData exactly 256 bytes
   * @return the body
   * @throws SigStructFormatException if the length or either header is wrong
   */
  public static SigStructBody parse(byte[] signedData) throws SigStructFormatException {
    if (signedData == null || signedData.length != SIGNED_DATA_SIZE) {
      throw new SigStructFormatException(
          "signed data",
          -1,
          "expected "
              + SIGNED_DATA_SIZE
              + " bytes, got "
              + (signedData == null ? 0 : signedData.length));
    }
    byte[] copy = signedData.clone();
    checkHeaders(copy, 0);
    return new SigStructBody(copy);
  }

  /** Checks both fixed headers; {@code base} is where offset 0 of the SIGSTRUCT lies in buf. */
  static void checkHeaders(byte[] buf, int base) throws SigStructFormatException {
    if (!Arrays.equals(buf, base + HEADER, base + HEADER + 16, HEADER_VALUE, 0, 16)) {
      throw new SigStructFormatException(
          "header", HEADER, "expected " + HexFormat.of().formatHex(HEADER_VALUE));
    }
    if (!Arrays.equals(buf, base + HEADER2, base + HEADER2 + 16, HEADER2_VALUE, 0, 16)) {
      throw new SigStructFormatException(
          "header2", HEADER2, "expected " + HexFormat.of().formatHex(HEADER2_VALUE));
    }
  }

  /** Wraps signed data already checked by the caller; takes ownership of the array. */
  static SigStructBody wrap(byte[] signedData) {
    return new SigStructBody(signedData);
  }

  /**
   * @return a new builder with gramine-sgx-sign's defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @param date the DATE to record instead of this body's
   * @return a copy of this body with only the DATE word changed
   */
  public SigStructBody withDate(SigStructDate date) {
    byte[] d = data.clone();
    LittleEndian.putU32(d, signedIndex(DATE), date.word());
    return new SigStructBody(d);
  }

  /**
   * @return the 256 signed bytes (a copy)
   */
  public byte[] signedData() {
    return data.clone();
  }

  /**
   * @return the VENDOR field (0x8086 for Intel, 0 otherwise)
   */
  public long vendor() {
    return LittleEndian.u32(data, signedIndex(VENDOR));
  }

  /**
   * @return the raw BCD DATE word
   */
  public long rawDate() {
    return LittleEndian.u32(data, signedIndex(DATE));
  }

  /**
   * @return the DATE, or empty if the word is not a valid BCD date
   */
  public Optional<LocalDate> date() {
    return BcdDate.decode(rawDate());
  }

  /**
   * @return the DATE as written: a date or the all-zero word; empty if the word is neither
   */
  public Optional<SigStructDate> signingDate() {
    return SigStructDate.fromWord(rawDate());
  }

  /**
   * @return the SWDEFINED field
   */
  public long swDefined() {
    return LittleEndian.u32(data, signedIndex(SW_DEFINED));
  }

  /**
   * @return MISCSELECT
   */
  public long miscSelect() {
    return LittleEndian.u32(data, signedIndex(MISC_SELECT));
  }

  /**
   * @return MISCMASK
   */
  public long miscMask() {
    return LittleEndian.u32(data, signedIndex(MISC_MASK));
  }

  /**
   * @return the CET attributes byte
   */
  public int cetAttributes() {
    return data[signedIndex(CET_ATTRIBUTES)] & 0xff;
  }

  /**
   * @return the CET attributes mask byte
   */
  public int cetAttributesMask() {
    return data[signedIndex(CET_ATTRIBUTES_MASK)] & 0xff;
  }

  /**
   * @return ISVFAMILYID (16 bytes)
   */
  public byte[] isvFamilyId() {
    return slice(ISV_FAMILY_ID, 16);
  }

  /**
   * @return ATTRIBUTES (flags and XFRM)
   */
  public SgxAttributes attributes() {
    int i = signedIndex(ATTRIBUTES);
    return new SgxAttributes(LittleEndian.u64(data, i), LittleEndian.u64(data, i + 8));
  }

  /**
   * @return ATTRIBUTEMASK (flags and XFRM)
   */
  public SgxAttributes attributeMask() {
    int i = signedIndex(ATTRIBUTE_MASK);
    return new SgxAttributes(LittleEndian.u64(data, i), LittleEndian.u64(data, i + 8));
  }

  /**
   * @return ENCLAVEHASH, i.e. the expected MRENCLAVE (32 bytes)
   */
  public byte[] enclaveHash() {
    return slice(ENCLAVE_HASH, 32);
  }

  /**
   * @return ISVEXTPRODID (16 bytes)
   */
  public byte[] isvExtProdId() {
    return slice(ISV_EXT_PROD_ID, 16);
  }

  /**
   * @return ISVPRODID
   */
  public int isvProdId() {
    return LittleEndian.u16(data, signedIndex(ISV_PROD_ID));
  }

  /**
   * @return ISVSVN
   */
  public int isvSvn() {
    return LittleEndian.u16(data, signedIndex(ISV_SVN));
  }

  /**
   * @return whether ATTRIBUTES has the DEBUG flag
   */
  public boolean debug() {
    return attributes().debug();
  }

  private byte[] slice(int sigStructOffset, int len) {
    int i = signedIndex(sigStructOffset);
    return Arrays.copyOfRange(data, i, i + len);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SigStructBody other && Arrays.equals(data, other.data);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "SigStructBody[mrEnclave="
        + HexFormat.of().formatHex(enclaveHash())
        + ", isvProdId="
        + isvProdId()
        + ", isvSvn="
        + isvSvn()
        + ", attributes="
        + attributes()
        + "]";
  }

  /**
   * Builds signed data. Defaults match {@code gramine-sgx-sign}: vendor 0, SWDEFINED 0, MISCSELECT
   * 0 with mask 0xffffffff, FLAGS MODE64BIT with mask all ones, XFRM x87|SSE with mask {@link
   * #DEFAULT_XFRM_MASK}, ISVPRODID 0, ISVSVN 0. The date and MRENCLAVE have no default and must be
   * set.
   */
  public static final class Builder {
    private long vendor;
    private SigStructDate date;
    private long swDefined;
    private long miscSelect;
    private long miscMask = DEFAULT_MISC_MASK;
    private SgxAttributes attributes =
        new SgxAttributes(SgxAttributes.FLAG_MODE64BIT, SgxAttributes.XFRM_LEGACY);
    private SgxAttributes attributeMask = new SgxAttributes(DEFAULT_FLAGS_MASK, DEFAULT_XFRM_MASK);
    private byte[] enclaveHash;
    private int isvProdId;
    private int isvSvn;
    private int cetAttributes;
    private int cetAttributesMask;
    private byte[] isvFamilyId = new byte[16];
    private byte[] isvExtProdId = new byte[16];

    private Builder() {}

    /**
     * @param vendor VENDOR: 0x8086 for Intel enclaves, 0 otherwise
     * @return this builder
     */
    public Builder vendor(long vendor) {
      this.vendor = checkU32("vendor", vendor);
      return this;
    }

    /**
     * @param date the DATE to record (gramine-sgx-sign uses today)
     * @return this builder
     */
    public Builder date(LocalDate date) {
      return date(SigStructDate.of(date));
    }

    /**
     * @param date the DATE to record: a date, or {@link SigStructDate#ZERO} as some signers write
     * @return this builder
     */
    public Builder date(SigStructDate date) {
      this.date = Objects.requireNonNull(date, "date");
      return this;
    }

    /**
     * @param swDefined SWDEFINED
     * @return this builder
     */
    public Builder swDefined(long swDefined) {
      this.swDefined = checkU32("swDefined", swDefined);
      return this;
    }

    /**
     * @param miscSelect MISCSELECT
     * @return this builder
     */
    public Builder miscSelect(long miscSelect) {
      this.miscSelect = checkU32("miscSelect", miscSelect);
      return this;
    }

    /**
     * @param miscMask MISCMASK
     * @return this builder
     */
    public Builder miscMask(long miscMask) {
      this.miscMask = checkU32("miscMask", miscMask);
      return this;
    }

    /**
     * @param attributes ATTRIBUTES (flags and XFRM)
     * @return this builder
     */
    public Builder attributes(SgxAttributes attributes) {
      this.attributes = attributes;
      return this;
    }

    /**
     * Sets or clears the DEBUG flag in ATTRIBUTES, keeping the other bits.
     *
     * @param debug whether the enclave is a debug enclave
     * @return this builder
     */
    public Builder debug(boolean debug) {
      long flags =
          debug
              ? attributes.flags() | SgxAttributes.FLAG_DEBUG
              : attributes.flags() & ~SgxAttributes.FLAG_DEBUG;
      this.attributes = new SgxAttributes(flags, attributes.xfrm());
      return this;
    }

    /**
     * @param attributeMask ATTRIBUTEMASK (flags and XFRM)
     * @return this builder
     */
    public Builder attributeMask(SgxAttributes attributeMask) {
      this.attributeMask = attributeMask;
      return this;
    }

    /**
     * @param mrEnclave ENCLAVEHASH, 32 bytes
     * @return this builder
     */
    public Builder enclaveHash(byte[] mrEnclave) {
      if (mrEnclave == null || mrEnclave.length != 32) {
        throw new IllegalArgumentException("MRENCLAVE must be 32 bytes");
      }
      this.enclaveHash = mrEnclave.clone();
      return this;
    }

    /**
     * @param isvProdId ISVPRODID, 0..65535
     * @return this builder
     */
    public Builder isvProdId(int isvProdId) {
      this.isvProdId = checkU16("isvProdId", isvProdId);
      return this;
    }

    /**
     * @param isvSvn ISVSVN, 0..65535
     * @return this builder
     */
    public Builder isvSvn(int isvSvn) {
      this.isvSvn = checkU16("isvSvn", isvSvn);
      return this;
    }

    /**
     * @param cetAttributes CET attributes byte
     * @param cetAttributesMask CET attributes mask byte
     * @return this builder
     */
    public Builder cetAttributes(int cetAttributes, int cetAttributesMask) {
      if ((cetAttributes & ~0xff) != 0 || (cetAttributesMask & ~0xff) != 0) {
        throw new IllegalArgumentException("CET attributes are one byte each");
      }
      this.cetAttributes = cetAttributes;
      this.cetAttributesMask = cetAttributesMask;
      return this;
    }

    /**
     * @param isvFamilyId ISVFAMILYID, 16 bytes (KSS)
     * @return this builder
     */
    public Builder isvFamilyId(byte[] isvFamilyId) {
      this.isvFamilyId = check16("isvFamilyId", isvFamilyId);
      return this;
    }

    /**
     * @param isvExtProdId ISVEXTPRODID, 16 bytes (KSS)
     * @return this builder
     */
    public Builder isvExtProdId(byte[] isvExtProdId) {
      this.isvExtProdId = check16("isvExtProdId", isvExtProdId);
      return this;
    }

    /**
     * @return the body
     * @throws IllegalStateException if the date or MRENCLAVE is not set
     */
    public SigStructBody build() {
      if (date == null) {
        throw new IllegalStateException("SIGSTRUCT date is not set");
      }
      if (enclaveHash == null) {
        throw new IllegalStateException("SIGSTRUCT MRENCLAVE is not set");
      }
      byte[] d = new byte[SIGNED_DATA_SIZE];
      System.arraycopy(HEADER_VALUE, 0, d, signedIndex(HEADER), 16);
      LittleEndian.putU32(d, signedIndex(VENDOR), vendor);
      LittleEndian.putU32(d, signedIndex(DATE), date.word());
      System.arraycopy(HEADER2_VALUE, 0, d, signedIndex(HEADER2), 16);
      LittleEndian.putU32(d, signedIndex(SW_DEFINED), swDefined);
      LittleEndian.putU32(d, signedIndex(MISC_SELECT), miscSelect);
      LittleEndian.putU32(d, signedIndex(MISC_MASK), miscMask);
      d[signedIndex(CET_ATTRIBUTES)] = (byte) cetAttributes;
      d[signedIndex(CET_ATTRIBUTES_MASK)] = (byte) cetAttributesMask;
      System.arraycopy(isvFamilyId, 0, d, signedIndex(ISV_FAMILY_ID), 16);
      LittleEndian.putU64(d, signedIndex(ATTRIBUTES), attributes.flags());
      LittleEndian.putU64(d, signedIndex(ATTRIBUTES) + 8, attributes.xfrm());
      LittleEndian.putU64(d, signedIndex(ATTRIBUTE_MASK), attributeMask.flags());
      LittleEndian.putU64(d, signedIndex(ATTRIBUTE_MASK) + 8, attributeMask.xfrm());
      System.arraycopy(enclaveHash, 0, d, signedIndex(ENCLAVE_HASH), 32);
      System.arraycopy(isvExtProdId, 0, d, signedIndex(ISV_EXT_PROD_ID), 16);
      LittleEndian.putU16(d, signedIndex(ISV_PROD_ID), isvProdId);
      LittleEndian.putU16(d, signedIndex(ISV_SVN), isvSvn);
      return new SigStructBody(d);
    }

    private static long checkU32(String name, long v) {
      if (v < 0 || v > 0xffffffffL) {
        throw new IllegalArgumentException(name + " must fit in 32 bits unsigned");
      }
      return v;
    }

    private static int checkU16(String name, int v) {
      if (v < 0 || v > 0xffff) {
        throw new IllegalArgumentException(name + " must be 0..65535, got " + v);
      }
      return v;
    }

    private static byte[] check16(String name, byte[] v) {
      if (v == null || v.length != 16) {
        throw new IllegalArgumentException(name + " must be 16 bytes");
      }
      return v.clone();
    }
  }
}
