package org.ppml.crypto.kms.local;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A primary key inside the store: all its versions, newest last. Material is held only inside
 * {@link Version}, whose {@code toString} redacts it.
 */
record StoredKey(String name, boolean enabled, Instant created, List<StoredKey.Version> versions) {
  StoredKey {
    versions = List.copyOf(versions);
  }

  /** One version of a primary key. */
  record Version(int version, byte[] material, Instant created) {
    @Override
    public String toString() {
      return "Version[" + version + ", material redacted]";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Version v && v.version == version;
    }

    @Override
    public int hashCode() {
      return Integer.hashCode(version);
    }
  }

  Version primary() {
    return versions.get(versions.size() - 1);
  }

  Version version(int version) {
    for (Version v : versions) {
      if (v.version() == version) {
        return v;
      }
    }
    return null;
  }

  StoredKey withNewVersion(byte[] material, Instant now) {
    List<Version> next = new ArrayList<>(versions);
    next.add(new Version(primary().version() + 1, material, now));
    return new StoredKey(name, enabled, created, next);
  }

  StoredKey disabled() {
    return new StoredKey(name, false, created, versions);
  }
}
