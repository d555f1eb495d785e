package org.ppml.enclave.sgx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes the CLI prints for SIGSTRUCTs, as ordered maps ready for Jackson, so every
 * command names fields the same way (docs/cli.md: camelCase, lowercase hex).
 *
 * <p>Conventions: measurements are 64 hex digits; 32-bit fields (vendor, MISCSELECT, MISCMASK,
 * SWDEFINED) are 8 hex digits; 64-bit attribute words are 16 hex digits; ISVPRODID and ISVSVN are
 * numbers; the date is {@code YYYY-MM-DD}, or null when the BCD word is not a date (its raw value
 * is always in {@code dateRaw}).
 */
public final class SigStructReport {

  /**
   * The fields of {@code ppml enclave show --json}.
   *
   * @param s a SIGSTRUCT
   * @return mrEnclave, mrSigner, isvProdId, isvSvn, debug, date, dateRaw, vendor, miscSelect,
   *     miscSelectNames, miscMask, attributes, attributeMask, swDefined, exponent, headerValid,
   *     signatureValid, q1q2Valid, intelSdkSampleKey, productionSignedWithSampleKey
   */
  public static Map<String, Object> show(SigStruct s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mrEnclave", hex(s.enclaveHash()));
    m.put("mrSigner", s.mrSigner().hex());
    m.put("isvProdId", s.isvProdId());
    m.put("isvSvn", s.isvSvn());
    m.put("debug", s.debug());
    m.put("date", s.signingDate().map(Object::toString).orElse(null));
    m.put("dateRaw", String.format("%08x", s.rawDate()));
    m.put("vendor", String.format("%08x", s.vendor()));
    m.put("miscSelect", String.format("%08x", s.miscSelect()));
    m.put("miscSelectNames", miscSelectNames(s.miscSelect()));
    m.put("miscMask", String.format("%08x", s.miscMask()));
    m.put("attributes", attributes(s.attributes()));
    m.put("attributeMask", attributes(s.attributeMask()));
    m.put("swDefined", String.format("%08x", s.swDefined()));
    m.put("exponent", s.exponent());
    m.put("headerValid", s.headerValid());
    m.put("signatureValid", s.signatureValid());
    m.put("q1q2Valid", s.q1q2Valid());
    boolean sample = s.mrSigner().isIntelSdkSampleKey();
    m.put("intelSdkSampleKey", sample);
    m.put("productionSignedWithSampleKey", sample && !s.debug());
    return m;
  }

  /**
   * The key-release policy a broker takes for this enclave (docs/architecture.md and
   * docs/enclave-signing.md): pin MRENCLAVE, or MRSIGNER with ISVPRODID and a minimum ISVSVN; debug
   * allowed only if the enclave is debug.
   *
   * @param s a signed SIGSTRUCT
   * @return mrEnclave (a one-element list), mrSigner, isvProdId, minIsvSvn, allowDebug
   */
  public static Map<String, Object> policy(SigStruct s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mrEnclave", List.of(hex(s.enclaveHash())));
    m.put("mrSigner", s.mrSigner().hex());
    m.put("isvProdId", s.isvProdId());
    m.put("minIsvSvn", s.isvSvn());
    m.put("allowDebug", s.debug());
    return m;
  }

  /**
   * @param a attributes or an attribute mask
   * @return flags and xfrm (16 hex digits each), with the set bits named
   */
  public static Map<String, Object> attributes(SgxAttributes a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("flags", String.format("%016x", a.flags()));
    m.put("xfrm", String.format("%016x", a.xfrm()));
    m.put("flagNames", a.flagNames());
    m.put("xfrmFeatures", a.xfrmNames());
    return m;
  }

  /**
   * Names the set MISCSELECT bits, which choose what extra state the CPU saves in the SSA when the
   * enclave exits. Bit 0 is EXINFO (page-fault and #GP details; Gramine's {@code sgx.use_exinfo});
   * the SDM reserves the others or defines them for features no signer here sets, so they are
   * listed by number, never guessed at.
   *
   * @param miscSelect a MISCSELECT (or MISCMASK) value
   * @return e.g. {@code ["exinfo"]} for 1, {@code ["exinfo", "bit5"]} for 0x21, empty for 0
   */
  public static List<String> miscSelectNames(long miscSelect) {
    List<String> names = new ArrayList<>();
    for (int bit = 0; bit < 32; bit++) {
      if ((miscSelect & (1L << bit)) != 0) {
        names.add((1L << bit) == SigStructBody.MISCSELECT_EXINFO ? "exinfo" : "bit" + bit);
      }
    }
    return names;
  }

  private static String hex(byte[] b) {
    return java.util.HexFormat.of().formatHex(b);
  }

  private SigStructReport() {}
}
