package org.ppml.graphene.manifest;

import java.util.Map;
import org.ppml.enclave.sgx.SgxAttributes;
import org.ppml.enclave.sgx.SigStructBody;

/**
 * The SIGSTRUCT attributes Gramine v1.9 derives from a manifest: FLAGS (MODE64BIT, plus DEBUG from
 * {@code sgx.debug}), MISCSELECT (EXINFO from {@code sgx.use_exinfo}), and XFRM with its mask from
 * {@code sgx.cpu_features}.
 *
 * <p>For AVX, AVX-512 and AMX, "unspecified" leaves the bits out of both value and mask, so the
 * enclave runs with or without them. MPX and PKRU are security-relevant, so they must be "required"
 * or "disabled"; either way the mask enforces the choice.
 *
 * @param attributes ATTRIBUTES (flags, xfrm)
 * @param attributeMask ATTRIBUTEMASK (flags mask is all ones)
 * @param miscSelect MISCSELECT
 * @param miscMask MISCMASK (all ones)
 */
public record GramineEnclaveAttributes(
    SgxAttributes attributes, SgxAttributes attributeMask, long miscSelect, long miscMask) {

  private static final Map<String, Long> RELAXED =
      Map.of(
          "avx",
          SgxAttributes.XFRM_AVX,
          "avx512",
          SgxAttributes.XFRM_AVX512,
          "amx",
          SgxAttributes.XFRM_AMX);
  private static final Map<String, Long> SECURITY =
      Map.of("mpx", SgxAttributes.XFRM_MPX, "pkru", SgxAttributes.XFRM_PKRU);

  /**
   * @param s the manifest's SGX settings
   * @return the attributes gramine-sgx-sign would put in the SIGSTRUCT
   * @throws GramineManifestException if a {@code cpu_features} value is not allowed
   */
  public static GramineEnclaveAttributes from(GramineSgxSettings s)
      throws GramineManifestException {
    long flags = SgxAttributes.FLAG_MODE64BIT | (s.debug() ? SgxAttributes.FLAG_DEBUG : 0);
    long misc = s.useExinfo() ? SigStructBody.MISCSELECT_EXINFO : 0;
    long xfrm = SgxAttributes.XFRM_LEGACY;
    long mask = SigStructBody.DEFAULT_XFRM_MASK;
    if (s.cpuFeatures().isEmpty()) {
      for (String f : s.requiredFeatures()) {
        Long bits = RELAXED.containsKey(f) ? RELAXED.get(f) : SECURITY.get(f);
        if (bits != null) {
          xfrm |= bits;
        }
      }
    } else {
      // Same order as gramine-sgx-sign: relaxed features first, then security ones.
      for (String f : new String[] {"avx", "avx512", "amx"}) {
        long[] vm = apply(s.cpuFeatures(), f, RELAXED.get(f), xfrm, mask, false);
        xfrm = vm[0];
        mask = vm[1];
      }
      for (String f : new String[] {"mpx", "pkru"}) {
        long[] vm = apply(s.cpuFeatures(), f, SECURITY.get(f), xfrm, mask, true);
        xfrm = vm[0];
        mask = vm[1];
      }
    }
    return new GramineEnclaveAttributes(
        new SgxAttributes(flags, xfrm),
        new SgxAttributes(SigStructBody.DEFAULT_FLAGS_MASK, mask),
        misc,
        SigStructBody.DEFAULT_MISC_MASK);
  }

  private static long[] apply(
      Map<String, String> features,
      String name,
      long bits,
      long value,
      long mask,
      boolean securityHardening)
      throws GramineManifestException {
    String v = features.get(name);
    if (v == null) {
      return new long[] {value, mask};
    }
    switch (v) {
      case "required" -> {
        value |= bits;
        mask |= bits;
      }
      case "disabled" -> {
        value &= ~bits;
        mask |= bits;
      }
      case "unspecified" -> {
        if (securityHardening) {
          throw new GramineManifestException(
              "sgx.cpu_features."
                  + name
                  + ": must be \"required\" or \"disabled\" (security-relevant), got \"unspecified\"");
        }
      }
      default ->
          throw new GramineManifestException(
              "sgx.cpu_features."
                  + name
                  + ": must be \"required\", \"disabled\" or \"unspecified\", got \""
                  + v
                  + "\"");
    }
    return new long[] {value, mask};
  }
}
