package org.ppml.attestation.quote;

/**
 * The kind of trusted execution environment a quote comes from, as the header's {@code tee_type}
 * says.
 */
public enum TeeType {
  /** An SGX enclave; {@code tee_type} 0x00000000 (and the reserved field of a v3 header). */
  SGX(0x00000000L),
  /** An Intel TDX trust domain; {@code tee_type} 0x00000081. */
  TDX(0x00000081L);

  private final long wireValue;

  TeeType(long wireValue) {
    this.wireValue = wireValue;
  }

  /** The value of the header's {@code tee_type} field. */
  public long wireValue() {
    return wireValue;
  }

  static TeeType fromWire(long value, int offset) throws QuoteFormatException {
    for (TeeType t : values()) {
      if (t.wireValue == value) {
        return t;
      }
    }
    throw new QuoteFormatException(
        "header.tee_type", offset, "unknown TEE type 0x" + Long.toHexString(value));
  }
}
