package org.ppml.graphene.layout;

import org.ppml.enclave.sgx.SecInfo;

/**
 * One area of an enclave layout, as {@code gramine-sgx-sign} lists it.
 *
 * @param description "manifest", "ssa", "tcs", "tls", "stack", "sig_stack", "code" or "data"
 *     (libpal segments) or "free"
 * @param address start, as an offset from the enclave base
 * @param size bytes, a multiple of the page size
 * @param secInfoFlags SECINFO.FLAGS of its pages (see {@link SecInfo})
 * @param measured whether the page contents are measured (EEXTEND) or only added
 */
public record MemoryArea(
    String description, long address, long size, long secInfoFlags, boolean measured) {

  /**
   * @return the area's end address (exclusive)
   */
  public long end() {
    return address + size;
  }

  /**
   * @return e.g. {@code REG:RW-}
   */
  public String permissions() {
    return SecInfo.describe(secInfoFlags);
  }

  /**
   * @return the line gramine-sgx-sign prints for this area, e.g. {@code
   *     000000000ffff000-0000000010000000 [REG:R--] (manifest) measured}
   */
  public String describe() {
    return String.format(
        "%016x-%016x [%s] (%s)%s",
        address, end(), permissions(), description, measured ? " measured" : "");
  }
}
