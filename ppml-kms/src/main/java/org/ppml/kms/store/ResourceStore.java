package org.ppml.kms.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * KBS resources ({@code repo/type/tag}): secret bytes sealed under the master key, each with an
 * optional release policy.
 */
public final class ResourceStore {
  /** One path segment of a resource path. */
  public static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  /** The largest resource accepted. */
  public static final int MAX_RESOURCE = 1 << 20;

  private final BrokerDatabase store;
  private final MasterKey masterKey;

  /**
   * A stored resource. The content is plaintext secret bytes; the caller zeroes it after use.
   *
   * @param content the secret
   * @param policyJson the release policy, or null for the strict default
   */
  public record Resource(byte[] content, String policyJson) {
    @Override
    public String toString() {
      return "Resource[" + content.length + " bytes, redacted]";
    }
  }

  public ResourceStore(BrokerDatabase store, MasterKey masterKey) {
    this.store = store;
    this.masterKey = masterKey;
  }

  /** Whether {@code repo/type/tag} is a valid resource path. */
  public static boolean validPath(String repo, String type, String tag) {
    return repo != null
        && type != null
        && tag != null
        && SEGMENT.matcher(repo).matches()
        && SEGMENT.matcher(type).matches()
        && SEGMENT.matcher(tag).matches();
  }

  /** Stores or replaces a resource, writing {@code record} in the same transaction. */
  public void put(String path, byte[] content, String policyJson, CommitRecord<String> record)
      throws StoreException {
    byte[] sealed = masterKey.seal(content, context(path));
    String now = Instant.now().toString();
    store.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO resources (path, sealed, policy, updated)"
                      + " VALUES (?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET sealed = excluded.sealed,"
                      + " policy = excluded.policy, updated = excluded.updated")) {
            s.setString(1, path);
            s.setBytes(2, sealed);
            s.setString(3, policyJson);
            s.setString(4, now);
            s.executeUpdate();
          }
          record.write(c, path);
          return null;
        });
  }

  /** The resource at {@code path}, or empty. */
  public Optional<Resource> get(String path) throws StoreException {
    Object[] row =
        store.read(
            c -> {
              try (PreparedStatement s =
                  c.prepareStatement("SELECT sealed, policy FROM resources WHERE path = ?")) {
                s.setString(1, path);
                try (ResultSet rs = s.executeQuery()) {
                  return rs.next() ? new Object[] {rs.getBytes(1), rs.getString(2)} : null;
                }
              }
            });
    if (row == null) {
      return Optional.empty();
    }
    return Optional.of(
        new Resource(masterKey.open((byte[]) row[0], context(path)), (String) row[1]));
  }

  /**
   * One stored resource, without its content.
   *
   * @param path {@code repo/type/tag}
   * @param hasPolicy whether it has its own release policy
   * @param updated when it was last stored, RFC 3339
   */
  public record Listed(String path, boolean hasPolicy, String updated) {}

  /** Every resource path, sorted, without contents. */
  public List<Listed> list() throws StoreException {
    return store.read(
        c -> {
          List<Listed> out = new ArrayList<>();
          try (PreparedStatement s =
                  c.prepareStatement(
                      "SELECT path, policy IS NOT NULL, updated FROM resources ORDER BY path");
              ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              out.add(new Listed(rs.getString(1), rs.getBoolean(2), rs.getString(3)));
            }
          }
          return out;
        });
  }

  /** Deletes the resource at {@code path}; false if there was none. */
  public boolean delete(String path) throws StoreException {
    return store.inTransaction(
            c -> {
              try (PreparedStatement s =
                  c.prepareStatement("DELETE FROM resources WHERE path = ?")) {
                s.setString(1, path);
                return s.executeUpdate();
              }
            })
        == 1;
  }

  private static String context(String path) {
    return "resource:" + path;
  }
}
