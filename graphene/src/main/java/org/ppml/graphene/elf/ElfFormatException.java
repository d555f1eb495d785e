package org.ppml.graphene.elf;

import org.ppml.crypto.CodedFailure;

/**
 * An ELF file is malformed or of a kind Gramine's loader would not take (not ELF64 LE, bad tables).
 */
public final class ElfFormatException extends Exception implements CodedFailure {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what is wrong, naming the header field or segment
   */
  public ElfFormatException(String message) {
    super(message);
  }

  @Override
  public String code() {
    return "elf.format";
  }

  @Override
  public boolean isVerdict() {
    return false;
  }
}
