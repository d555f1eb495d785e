package org.ppml.crypto.fs;

import java.io.IOException;
import java.nio.file.Path;

/** A file held more than a reader's bound ({@link BoundedFile}); nothing of it is returned. */
public final class FileTooLargeException extends IOException {
  private static final long serialVersionUID = 1L;
  private final transient Path file;
  private final long max;

  public FileTooLargeException(Path file, long max) {
    super(file + " holds more than " + max + " bytes");
    this.file = file;
    this.max = max;
  }

  /** The file. */
  public Path file() {
    return file;
  }

  /** The bound it broke. */
  public long max() {
    return max;
  }
}
