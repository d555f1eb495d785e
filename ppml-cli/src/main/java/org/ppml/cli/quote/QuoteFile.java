package org.ppml.cli.quote;

import java.io.IOException;
import java.nio.file.Path;
import org.ppml.attestation.quote.Quote;
import org.ppml.cli.InputFile;

/** A QUOTE argument: a file holding a quote as binary or as hex text. */
final class QuoteFile {
  /** Hex text doubles the size, plus room for whitespace and a {@code 0x} prefix. */
  static final long MAX_BYTES = Quote.MAX_SIZE * 2L + 1024;

  private QuoteFile() {}

  /** The file's bytes, undecoded: the library decides between binary and hex. */
  static byte[] read(Path file) throws IOException {
    return InputFile.read(file, "quote", MAX_BYTES);
  }
}
