package org.ppml.enclave.sgx;

import org.ppml.crypto.CodedFailure;

/**
 * A byte string is not a well-formed SIGSTRUCT (or SIGSTRUCT signed data): wrong length, a header
 * that does not match, or a field out of range. The message names the field and its offset.
 */
public final class SigStructFormatException extends Exception implements CodedFailure {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final int offset;

  /**
   * @param field the SIGSTRUCT field that is wrong, e.g. {@code "header2"}
   * @param offset the byte offset of that field inside the SIGSTRUCT, or -1 for the whole input
   * @param detail what is wrong with it
   */
  public SigStructFormatException(String field, int offset, String detail) {
    super(
        offset >= 0
            ? "SIGSTRUCT " + field + " at offset " + offset + ": " + detail
            : "SIGSTRUCT " + field + ": " + detail);
    this.field = field;
    this.offset = offset;
  }

  /**
   * @return the SIGSTRUCT field that is wrong
   */
  public String field() {
    return field;
  }

  /**
   * @return the byte offset of that field, or -1 when the whole input is wrong
   */
  public int offset() {
    return offset;
  }

  @Override
  public String code() {
    return "sigstruct.format";
  }

  @Override
  public boolean isVerdict() {
    return false;
  }
}
