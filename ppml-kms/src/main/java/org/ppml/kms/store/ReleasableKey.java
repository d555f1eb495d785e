package org.ppml.kms.store;

import java.util.Optional;

/**
 * One primary key as a release sees it: whether it is enabled, its policy, and the sealed material
 * of the version asked for. It is read in one statement, so all three come from the same commit: a
 * rotation or policy change racing a release cannot pair one state's policy with another's
 * material. The material stays sealed until {@link #open()}.
 */
public final class ReleasableKey {
  private final String name;
  private final boolean enabled;
  private final String policyJson;
  private final int version;
  private final byte[] sealed;
  private final MasterKey masterKey;

  ReleasableKey(
      String name,
      boolean enabled,
      String policyJson,
      int version,
      byte[] sealed,
      MasterKey masterKey) {
    this.name = name;
    this.enabled = enabled;
    this.policyJson = policyJson;
    this.version = version;
    this.sealed = sealed;
    this.masterKey = masterKey;
  }

  public String name() {
    return name;
  }

  /** Whether the key may wrap or unwrap at all. */
  public boolean enabled() {
    return enabled;
  }

  /** The policy JSON, or null when the key has none (the strict default applies). */
  public String policyJson() {
    return policyJson;
  }

  /** The version asked for, or the primary version when none was. */
  public int version() {
    return version;
  }

  /** Whether that version exists. */
  public boolean hasVersion() {
    return sealed != null;
  }

  /** The unsealed material of {@link #version()}, or empty when that version does not exist. */
  public Optional<KeyMaterial> open() throws StoreException {
    if (sealed == null) {
      return Optional.empty();
    }
    return Optional.of(
        new KeyMaterial(
            name, version, masterKey.open(sealed, PrimaryKeyStore.context(name, version))));
  }

  @Override
  public String toString() {
    return "ReleasableKey[" + name + " v" + version + (enabled ? "" : ", disabled") + ", sealed]";
  }
}
