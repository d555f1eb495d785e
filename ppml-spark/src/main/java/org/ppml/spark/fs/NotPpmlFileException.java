package org.ppml.spark.fs;

import java.io.IOException;

/**
 * A file under a {@code ppml+} path is not a PPML file at all (no {@code "PPML"} magic): most
 * likely plaintext copied into an encrypted dataset. Distinct from {@link
 * org.ppml.crypto.IntegrityException}, which means a PPML file failed authentication.
 */
public final class NotPpmlFileException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String file;

  public NotPpmlFileException(String file) {
    super(
        file
            + " is not a PPML-encrypted file (it does not start with the \"PPML\" magic). Every file under a ppml+ path "
            + "must be encrypted: encrypt it with 'ppml encrypt', or read it through its plain path.");
    this.file = file;
  }

  /** The file that was opened. */
  public String file() {
    return file;
  }
}
