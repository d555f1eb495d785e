package org.ppml.attestation.quote;

import java.util.Arrays;

/**
 * A little-endian cursor over a byte range that refuses to read past its end.
 *
 * <p>Every read names the field it is for, so a short input yields a {@link QuoteFormatException}
 * saying which field was cut off and where, instead of an index error deep in a copy.
 */
final class BoundedReader {
  private final byte[] data;
  private final int end;
  private int pos;

  BoundedReader(byte[] data, int start, int end) {
    this.data = data;
    this.pos = start;
    this.end = end;
  }

  int position() {
    return pos;
  }

  int remaining() {
    return end - pos;
  }

  private void require(String field, long n) throws QuoteFormatException {
    if (n < 0 || n > remaining()) {
      throw new QuoteFormatException(
          field, pos, "needs " + n + " bytes but only " + remaining() + " remain");
    }
  }

  byte[] bytes(String field, long n) throws QuoteFormatException {
    require(field, n);
    byte[] out = Arrays.copyOfRange(data, pos, pos + (int) n);
    pos += (int) n;
    return out;
  }

  int u16(String field) throws QuoteFormatException {
    require(field, 2);
    int v = (data[pos] & 0xff) | (data[pos + 1] & 0xff) << 8;
    pos += 2;
    return v;
  }

  long u32(String field) throws QuoteFormatException {
    require(field, 4);
    long v =
        (data[pos] & 0xffL)
            | (data[pos + 1] & 0xffL) << 8
            | (data[pos + 2] & 0xffL) << 16
            | (data[pos + 3] & 0xffL) << 24;
    pos += 4;
    return v;
  }

  /** Reads a u32 length and checks it fits in what remains before returning it. */
  int length32(String field) throws QuoteFormatException {
    int at = pos;
    long n = u32(field);
    if (n > remaining()) {
      throw new QuoteFormatException(
          field, at, "declares " + n + " bytes but only " + remaining() + " remain");
    }
    return (int) n;
  }

  /** Reads a u16 length and checks it fits in what remains before returning it. */
  int length16(String field) throws QuoteFormatException {
    int at = pos;
    int n = u16(field);
    if (n > remaining()) {
      throw new QuoteFormatException(
          field, at, "declares " + n + " bytes but only " + remaining() + " remain");
    }
    return n;
  }
}
