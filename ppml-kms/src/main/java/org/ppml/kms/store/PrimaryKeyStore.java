package org.ppml.kms.store;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.ppml.crypto.kms.PrimaryKeyInfo;

/**
 * Primary keys (KEKs): their versions, sealed under the master key, and their release policies.
 * Material leaves this class sealed, in a {@link ReleasableKey}, and is opened only into a {@link
 * KeyMaterial} that the caller closes.
 */
public final class PrimaryKeyStore {
  /** Allowed key names; the same rule as the local store, so names move between backends. */
  public static final Pattern KEY_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private static final int KEY_LENGTH = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final BrokerDatabase store;
  private final MasterKey masterKey;

  public PrimaryKeyStore(BrokerDatabase store, MasterKey masterKey) {
    this.store = store;
    this.masterKey = masterKey;
  }

  /** Whether {@code name} is a valid key name. */
  public static boolean validName(String name) {
    return name != null && KEY_NAME.matcher(name).matches();
  }

  /**
   * Creates a key with random material, version 1, and the given policy JSON (null for the strict
   * default), writing {@code record} in the same transaction. Durable once this returns.
   *
   * @throws KeyStoreConflict if the name is taken
   */
  public PrimaryKeyInfo create(String name, String policyJson, CommitRecord<PrimaryKeyInfo> record)
      throws StoreException, KeyStoreConflict {
    requireName(name);
    byte[] material = new byte[KEY_LENGTH];
    RANDOM.nextBytes(material);
    byte[] sealed;
    try {
      sealed = masterKey.seal(material, context(name, 1));
    } finally {
      Arrays.fill(material, (byte) 0);
    }
    String now = Instant.now().toString();
    PrimaryKeyInfo created =
        store.inTransaction(
            c -> {
              // ON CONFLICT rather than a look first: two replicas creating one name at once get
              // one key and one conflict, not a unique-constraint error.
              try (PreparedStatement s =
                  c.prepareStatement(
                      "INSERT INTO primary_keys (name, primary_version, enabled, created, policy)"
                          + " VALUES (?, 1, 1, ?, ?) ON CONFLICT (name) DO NOTHING")) {
                s.setString(1, name);
                s.setString(2, now);
                s.setString(3, policyJson);
                if (s.executeUpdate() == 0) {
                  return null;
                }
              }
              insertVersion(c, name, 1, sealed, now);
              PrimaryKeyInfo info = readInfo(c, name);
              record.write(c, info);
              return info;
            });
    if (created == null) {
      throw new KeyStoreConflict(KeyStoreConflict.Kind.EXISTS, "key '" + name + "' already exists");
    }
    return created;
  }

  /** Adds a version with fresh material and makes it primary, with {@code record}. */
  public PrimaryKeyInfo rotate(String name, CommitRecord<PrimaryKeyInfo> record)
      throws StoreException, KeyStoreConflict {
    requireName(name);
    byte[] material = new byte[KEY_LENGTH];
    RANDOM.nextBytes(material);
    String now = Instant.now().toString();
    PrimaryKeyInfo rotated;
    try {
      rotated =
          store.inTransaction(
              c -> {
                // One statement takes the next version and locks the row, so concurrent rotations
                // (on any replica) queue and each gets its own version.
                int next;
                try (PreparedStatement s =
                    c.prepareStatement(
                        "UPDATE primary_keys SET primary_version = primary_version + 1"
                            + " WHERE name = ? RETURNING primary_version")) {
                  s.setString(1, name);
                  try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                      return null;
                    }
                    next = rs.getInt(1);
                  }
                }
                insertVersion(c, name, next, masterKey.seal(material, context(name, next)), now);
                PrimaryKeyInfo info = readInfo(c, name);
                record.write(c, info);
                return info;
              });
    } finally {
      Arrays.fill(material, (byte) 0);
    }
    if (rotated == null) {
      throw new KeyStoreConflict(KeyStoreConflict.Kind.NOT_FOUND, "no key '" + name + "'");
    }
    return rotated;
  }

  /** Enables or disables a key, with {@code record}. A disabled key neither wraps nor unwraps. */
  public PrimaryKeyInfo setEnabled(
      String name, boolean enabled, CommitRecord<PrimaryKeyInfo> record)
      throws StoreException, KeyStoreConflict {
    requireName(name);
    return update(
        name, "UPDATE primary_keys SET enabled = ? WHERE name = ?", enabled ? 1 : 0, record);
  }

  /** Replaces a key's policy JSON (already validated by the caller), with {@code record}. */
  public PrimaryKeyInfo setPolicy(
      String name, String policyJson, CommitRecord<PrimaryKeyInfo> record)
      throws StoreException, KeyStoreConflict {
    requireName(name);
    return update(name, "UPDATE primary_keys SET policy = ? WHERE name = ?", policyJson, record);
  }

  private PrimaryKeyInfo update(
      String name, String sql, Object value, CommitRecord<PrimaryKeyInfo> record)
      throws StoreException, KeyStoreConflict {
    PrimaryKeyInfo info =
        store.inTransaction(
            c -> {
              try (PreparedStatement s = c.prepareStatement(sql)) {
                if (value instanceof Integer i) {
                  s.setInt(1, i);
                } else {
                  s.setString(1, (String) value);
                }
                s.setString(2, name);
                if (s.executeUpdate() == 0) {
                  return null;
                }
              }
              PrimaryKeyInfo changed = readInfo(c, name);
              record.write(c, changed);
              return changed;
            });
    if (info == null) {
      throw new KeyStoreConflict(KeyStoreConflict.Kind.NOT_FOUND, "no key '" + name + "'");
    }
    return info;
  }

  /** What is known about a key, or empty. */
  public Optional<PrimaryKeyInfo> info(String name) throws StoreException {
    return store.read(c -> Optional.ofNullable(readInfo(c, name)));
  }

  /** The key's policy JSON, or empty when it has none (the strict default applies). */
  public Optional<String> policy(String name) throws StoreException {
    return store.read(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("SELECT policy FROM primary_keys WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
              return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
          }
        });
  }

  /** Every key, by name. */
  public List<PrimaryKeyInfo> list() throws StoreException {
    return store.read(
        c -> {
          List<String> names = new ArrayList<>();
          try (PreparedStatement s =
                  c.prepareStatement("SELECT name FROM primary_keys ORDER BY name");
              ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              names.add(rs.getString(1));
            }
          }
          List<PrimaryKeyInfo> out = new ArrayList<>();
          for (String n : names) {
            out.add(readInfo(c, n));
          }
          return out;
        });
  }

  /**
   * What a release needs of {@code name}, from one statement: see {@link ReleasableKey}. Empty when
   * the key does not exist.
   *
   * @param version the version to unwrap with, or null for the primary version (to wrap with)
   */
  public Optional<ReleasableKey> forRelease(String name, Integer version) throws StoreException {
    return store.read(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT k.enabled, k.policy, k.primary_version, v.sealed FROM primary_keys k"
                      + " LEFT JOIN key_versions v ON v.name = k.name"
                      + " AND v.version = coalesce(?, k.primary_version) WHERE k.name = ?")) {
            if (version == null) {
              s.setNull(1, java.sql.Types.INTEGER);
            } else {
              s.setInt(1, version);
            }
            s.setString(2, name);
            try (ResultSet rs = s.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              int v = version != null ? version : rs.getInt(3);
              return Optional.of(
                  new ReleasableKey(
                      name, rs.getInt(1) != 0, rs.getString(2), v, rs.getBytes(4), masterKey));
            }
          }
        });
  }

  private static void insertVersion(
      Connection c, String name, int version, byte[] sealed, String now) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO key_versions (name, version, sealed, created) VALUES (?, ?, ?, ?)")) {
      s.setString(1, name);
      s.setInt(2, version);
      s.setBytes(3, sealed);
      s.setString(4, now);
      s.executeUpdate();
    }
  }

  private static PrimaryKeyInfo readInfo(Connection c, String name) throws SQLException {
    int primary;
    boolean enabled;
    Instant created;
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT primary_version, enabled, created FROM primary_keys WHERE name = ?")) {
      s.setString(1, name);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        primary = rs.getInt(1);
        enabled = rs.getInt(2) != 0;
        created = Instant.parse(rs.getString(3));
      }
    }
    List<Integer> versions = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement("SELECT version FROM key_versions WHERE name = ? ORDER BY version")) {
      s.setString(1, name);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          versions.add(rs.getInt(1));
        }
      }
    }
    return new PrimaryKeyInfo(name, primary, versions, enabled, created);
  }

  private static void requireName(String name) throws KeyStoreConflict {
    if (!validName(name)) {
      throw new KeyStoreConflict(
          KeyStoreConflict.Kind.INVALID_NAME,
          "invalid key name (letters, digits, '.', '_', '-'; at most 128)");
    }
  }

  // The AAD names the row, so sealed material moved to another key or version does not open.
  static String context(String name, int version) {
    return "primary:" + name + "#" + version;
  }
}
