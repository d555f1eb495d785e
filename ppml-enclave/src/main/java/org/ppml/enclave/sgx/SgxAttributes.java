package org.ppml.enclave.sgx;

import java.util.ArrayList;
import java.util.List;

/**
 * SGX enclave ATTRIBUTES: the 64-bit FLAGS word and the 64-bit XFRM word (XCR0 format). Used for
 * the SIGSTRUCT attributes and for their mask.
 *
 * @param flags the FLAGS word (INIT, DEBUG, MODE64BIT, ...)
 * @param xfrm the XFRM word (x87, SSE, AVX, ...)
 */
public record SgxAttributes(long flags, long xfrm) {

  /** FLAGS bit 0: the enclave has been initialised (never set in a SIGSTRUCT). */
  public static final long FLAG_INIT = 0x01L;

  /** FLAGS bit 1: debug enclave; its memory can be read by a debugger. */
  public static final long FLAG_DEBUG = 0x02L;

  /** FLAGS bit 2: 64-bit enclave. */
  public static final long FLAG_MODE64BIT = 0x04L;

  /** FLAGS bit 4: the enclave may get the provisioning key. */
  public static final long FLAG_PROVISION_KEY = 0x10L;

  /** FLAGS bit 5: the enclave may get the EINITTOKEN key (launch enclaves). */
  public static final long FLAG_EINITTOKEN_KEY = 0x20L;

  /** FLAGS bit 7: key separation and sharing. */
  public static final long FLAG_KSS = 0x80L;

  /** FLAGS bit 10: AEX-Notify. */
  public static final long FLAG_AEXNOTIFY = 0x400L;

  /** XFRM bits 0-1: x87 and SSE, which SGX always requires. */
  public static final long XFRM_LEGACY = 0x03L;

  /** XFRM bit 2: AVX. */
  public static final long XFRM_AVX = 0x04L;

  /** XFRM bits 3-4: MPX (BNDREGS, BNDCSR). */
  public static final long XFRM_MPX = 0x18L;

  /** XFRM bits 5-7 (with AVX): AVX-512. */
  public static final long XFRM_AVX512 = 0xe4L;

  /** XFRM bit 9: PKRU (memory protection keys). */
  public static final long XFRM_PKRU = 0x200L;

  /** XFRM bits 17-18: AMX. */
  public static final long XFRM_AMX = 0x60000L;

  /**
   * Parses the {@code FLAGS:XFRM} notation of {@code ppml enclave sign --attributes} and {@link
   * #hex()}: two hex numbers of up to 16 digits, with or without {@code 0x}.
   *
   * @param text e.g. {@code 0000000000000006:0000000000000003} or {@code 0x4:0x3}
   * @return the attributes
   * @throws IllegalArgumentException if the text is not two 64-bit hex numbers around a colon
   */
  public static SgxAttributes parse(String text) {
    int colon = text == null ? -1 : text.indexOf(':');
    if (colon < 0 || text.indexOf(':', colon + 1) >= 0) {
      throw new IllegalArgumentException(
          "attributes must be FLAGS:XFRM in hex, got \"" + text + "\"");
    }
    return new SgxAttributes(
        hex64(text.substring(0, colon), text), hex64(text.substring(colon + 1), text));
  }

  private static long hex64(String part, String whole) {
    String digits = part.startsWith("0x") || part.startsWith("0X") ? part.substring(2) : part;
    if (digits.isEmpty()
        || digits.length() > 16
        || !digits.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw new IllegalArgumentException(
          "attributes must be FLAGS:XFRM in hex (up to 16 digits each), got \"" + whole + "\"");
    }
    return Long.parseUnsignedLong(digits, 16);
  }

  /**
   * @return whether the DEBUG flag is set
   */
  public boolean debug() {
    return (flags & FLAG_DEBUG) != 0;
  }

  /**
   * @return the names of the set FLAGS bits, with unknown bits as {@code bitN}
   */
  public List<String> flagNames() {
    List<String> names = new ArrayList<>();
    for (int bit = 0; bit < 64; bit++) {
      if ((flags & (1L << bit)) == 0) {
        continue;
      }
      names.add(
          switch (bit) {
            case 0 -> "init";
            case 1 -> "debug";
            case 2 -> "mode64bit";
            case 4 -> "provisionKey";
            case 5 -> "einittokenKey";
            case 7 -> "kss";
            case 10 -> "aexNotify";
            default -> "bit" + bit;
          });
    }
    return names;
  }

  /**
   * @return the names of the set XFRM feature bits, with unknown bits as {@code bitN}
   */
  public List<String> xfrmNames() {
    List<String> names = new ArrayList<>();
    for (int bit = 0; bit < 64; bit++) {
      if ((xfrm & (1L << bit)) == 0) {
        continue;
      }
      names.add(
          switch (bit) {
            case 0 -> "x87";
            case 1 -> "sse";
            case 2 -> "avx";
            case 3 -> "bndregs";
            case 4 -> "bndcsr";
            case 5 -> "opmask";
            case 6 -> "zmmHi256";
            case 7 -> "hi16Zmm";
            case 9 -> "pkru";
            case 17 -> "amxTilecfg";
            case 18 -> "amxTiledata";
            default -> "bit" + bit;
          });
    }
    return names;
  }

  /**
   * @return the attributes as lowercase hex, {@code flags:xfrm}, 16 digits each
   */
  public String hex() {
    return String.format("%016x:%016x", flags, xfrm);
  }

  @Override
  public String toString() {
    return hex();
  }
}
