package org.ppml.enclave.sgx;

import java.util.HexFormat;

/**
 * The result of measuring an SGXS stream.
 *
 * @param mrEnclave MRENCLAVE, 32 bytes
 * @param enclaveSize SECS.SIZE from the ECREATE record
 * @param ssaFramePages SECS.SSAFRAMESIZE from the ECREATE record, in pages
 * @param pagesAdded number of EADD records
 * @param chunksMeasured number of EEXTEND records
 * @param chunksUnmeasured number of UNMEASRD records (loaded but not measured)
 * @param canonical whether EADD offsets strictly increase, as the SGXS format's canonical form
 *     asks; Gramine's top-down loader, for one, does not
 */
public record SgxsMeasurement(
    byte[] mrEnclave,
    long enclaveSize,
    long ssaFramePages,
    long pagesAdded,
    long chunksMeasured,
    long chunksUnmeasured,
    boolean canonical) {

  /** Defensive copy: records do not copy arrays on their own. */
  public SgxsMeasurement {
    mrEnclave = mrEnclave.clone();
  }

  /**
   * @return a copy of the mrEnclave bytes
   */
  @Override
  public byte[] mrEnclave() {
    return mrEnclave.clone();
  }

  /**
   * @return MRENCLAVE as lowercase hex
   */
  public String mrEnclaveHex() {
    return HexFormat.of().formatHex(mrEnclave);
  }
}
