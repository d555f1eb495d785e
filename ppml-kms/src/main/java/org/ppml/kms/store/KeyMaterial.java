package org.ppml.kms.store;

import java.util.Arrays;

/**
 * The plaintext material of one primary key version, held only for the duration of a wrap or
 * unwrap. {@link #close()} zeroes it; {@code toString} never shows it.
 */
public final class KeyMaterial implements AutoCloseable {
  private final String name;
  private final int version;
  private final byte[] material;

  KeyMaterial(String name, int version, byte[] material) {
    this.name = name;
    this.version = version;
    this.material = material;
  }

  public String name() {
    return name;
  }

  public int version() {
    return version;
  }

  /** The material itself, not a copy: do not keep it beyond {@link #close()}. */
  public byte[] bytes() {
    return material;
  }

  @Override
  public void close() {
    Arrays.fill(material, (byte) 0);
  }

  @Override
  public String toString() {
    return "KeyMaterial[" + name + " v" + version + ", redacted]";
  }
}
