package org.ppml.attestation.quote;

import org.ppml.attestation.AttestationException;

/** A quote could not be parsed: the message names the field and the byte offset where it failed. */
public final class QuoteFormatException extends AttestationException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final long offset;

  public QuoteFormatException(String field, long offset, String problem) {
    super("malformed quote: " + field + " at offset " + offset + ": " + problem);
    this.field = field;
    this.offset = offset;
  }

  /** The quote field that was being read. */
  public String field() {
    return field;
  }

  /**
   * Byte offset of that field in the quote (or in the enclosing structure, as the message says).
   */
  public long offset() {
    return offset;
  }

  @Override
  public String code() {
    return "QUOTE_FORMAT";
  }

  @Override
  public boolean isInputError() {
    return true;
  }
}
