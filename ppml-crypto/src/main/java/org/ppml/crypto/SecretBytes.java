package org.ppml.crypto;

import java.util.Arrays;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.Destroyable;

/**
 * Raw key material that can be zeroed: the one holder of key bytes inside the project's key classes
 * (data keys, the streaming key, the key-store seal, the broker's master key).
 *
 * <p>After {@link #destroy()} every access fails. It must not hand out the zeroed bytes instead: an
 * all-zero key still encrypts, with a key everyone knows. The bytes never appear in {@code
 * toString}.
 */
public final class SecretBytes implements Destroyable {
  private final byte[] bytes;
  private volatile boolean destroyed;

  private SecretBytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A holder of a copy of {@code bytes}; the caller still owns (and should zero) its array. */
  public static SecretBytes copyOf(byte[] bytes) {
    return new SecretBytes(bytes.clone());
  }

  /**
   * A holder that takes {@code bytes} itself, for arrays made only to be held (derived or freshly
   * read keys): no second copy is left to zero. The caller must not use the array afterwards.
   */
  public static SecretBytes adopt(byte[] bytes) {
    return new SecretBytes(bytes);
  }

  public int length() {
    return bytes.length;
  }

  /**
   * A copy of the bytes, which the caller zeroes when done.
   *
   * @throws IllegalStateException once destroyed
   */
  public byte[] copy() {
    checkLive();
    return bytes.clone();
  }

  /**
   * The bytes as an AES key ({@link SecretKeySpec} keeps its own copy).
   *
   * @throws IllegalStateException once destroyed
   */
  public SecretKeySpec aesKey() {
    checkLive();
    return new SecretKeySpec(bytes, "AES");
  }

  private void checkLive() {
    if (destroyed) {
      throw new IllegalStateException("key destroyed");
    }
  }

  @Override
  public void destroy() {
    destroyed = true;
    Arrays.fill(bytes, (byte) 0);
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public String toString() {
    return "SecretBytes[" + bytes.length + " bytes, redacted]";
  }
}
