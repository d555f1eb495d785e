package org.ppml.crypto.kms;

import java.util.Arrays;
import java.util.Objects;

/**
 * A data key wrapped under one version of a primary key: what a file header stores.
 *
 * <p>Immutable; the byte array is copied in and out. The wrapped bytes are not secret, but the
 * {@code toString} still prints only their length.
 */
public final class WrappedKey {
  private final String keyName;
  private final int keyVersion;
  private final byte[] wrapped;

  public WrappedKey(String keyName, int keyVersion, byte[] wrapped) {
    this.keyName = Objects.requireNonNull(keyName, "keyName");
    if (keyVersion < 1) {
      throw new IllegalArgumentException("key version must be >= 1");
    }
    this.keyVersion = keyVersion;
    this.wrapped = Objects.requireNonNull(wrapped, "wrapped").clone();
  }

  public String keyName() {
    return keyName;
  }

  public int keyVersion() {
    return keyVersion;
  }

  public byte[] wrapped() {
    return wrapped.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WrappedKey w
        && keyName.equals(w.keyName)
        && keyVersion == w.keyVersion
        && Arrays.equals(wrapped, w.wrapped);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keyName, keyVersion, Arrays.hashCode(wrapped));
  }

  @Override
  public String toString() {
    return "WrappedKey[" + keyName + " v" + keyVersion + ", " + wrapped.length + " bytes]";
  }
}
