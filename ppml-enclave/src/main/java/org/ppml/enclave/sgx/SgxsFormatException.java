package org.ppml.enclave.sgx;

import org.ppml.crypto.CodedFailure;

/**
 * A Fortanix SGXS measurement stream is malformed, not canonical, or cannot be measured. The
 * message names the record (by index and byte offset) that is wrong.
 */
public final class SgxsFormatException extends Exception implements CodedFailure {
  private static final long serialVersionUID = 1L;

  private final long streamOffset;

  /**
   * @param streamOffset byte offset of the offending record in the stream
   * @param message what is wrong
   */
  public SgxsFormatException(long streamOffset, String message) {
    super("SGXS at byte " + streamOffset + ": " + message);
    this.streamOffset = streamOffset;
  }

  /**
   * @return byte offset of the offending record in the stream
   */
  public long streamOffset() {
    return streamOffset;
  }

  @Override
  public String code() {
    return "sgxs.format";
  }

  @Override
  public boolean isVerdict() {
    return false;
  }
}
