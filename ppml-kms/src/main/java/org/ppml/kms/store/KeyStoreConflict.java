package org.ppml.kms.store;

/** A key operation conflicts with what is stored: name taken, no such key, or an invalid name. */
public final class KeyStoreConflict extends Exception {
  private static final long serialVersionUID = 1L;

  /** What conflicted. */
  public enum Kind {
    /** The name is taken. */
    EXISTS,
    /** No such key. */
    NOT_FOUND,
    /** The name breaks the key-name rule ({@link org.ppml.crypto.kms.KeyNames}). */
    INVALID_NAME
  }

  private final Kind kind;

  public KeyStoreConflict(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
