package org.ppml.crypto.kms;

import java.util.Objects;
import javax.security.auth.Destroyable;
import org.ppml.crypto.SecretBytes;

/**
 * A 32-byte data key in plaintext, with its wrapped form.
 *
 * <p>The plaintext never appears in {@code toString}. {@link #close()} zeroes it; callers that
 * cache data keys close them on eviction.
 */
public final class DataKey implements Destroyable, AutoCloseable {
  /** Data keys are AES-256 input keying material. */
  public static final int LENGTH = 32;

  private final SecretBytes key;
  private final WrappedKey wrapped;

  public DataKey(byte[] key, WrappedKey wrapped) {
    if (key == null || key.length != LENGTH) {
      throw new IllegalArgumentException("a data key is " + LENGTH + " bytes");
    }
    this.key = SecretBytes.copyOf(key);
    this.wrapped = Objects.requireNonNull(wrapped, "wrapped");
  }

  /** A copy of the key bytes; the caller should zero it when done. */
  public byte[] keyBytes() {
    return key.copy();
  }

  public WrappedKey wrapped() {
    return wrapped;
  }

  @Override
  public void destroy() {
    key.destroy();
  }

  @Override
  public boolean isDestroyed() {
    return key.isDestroyed();
  }

  @Override
  public void close() {
    destroy();
  }

  @Override
  public String toString() {
    return "DataKey[" + wrapped.keyName() + " v" + wrapped.keyVersion() + ", material redacted]";
  }
}
