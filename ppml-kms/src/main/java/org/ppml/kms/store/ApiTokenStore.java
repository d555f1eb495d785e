package org.ppml.kms.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Bearer tokens for the admin API and for writers ({@code /ppml/v1/wrapped-datakey} without
 * attestation). Only SHA-256 hashes are stored: tokens are 256-bit random strings, so a plain hash
 * is enough and a database copy does not yield a usable token. Lookups compare every stored hash in
 * constant time.
 */
public final class ApiTokenStore {
  /** What a token may do. */
  public enum Role {
    /** Everything under {@code /admin/v1}. */
    ADMIN,
    /** Only wrapped data keys, never plaintext. */
    WRITER
  }

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int MAX_TOKEN = 512;

  private final SqliteStore store;

  public ApiTokenStore(SqliteStore store) {
    this.store = store;
  }

  /** Whether any admin token exists (false on first start). */
  public boolean hasAdminToken() throws StoreException {
    return store.inTransaction(
        c -> {
          try (PreparedStatement s =
                  c.prepareStatement("SELECT 1 FROM api_tokens WHERE role = 'ADMIN' LIMIT 1");
              ResultSet rs = s.executeQuery()) {
            return rs.next();
          }
        });
  }

  /** Where a new token goes before it becomes valid. */
  @FunctionalInterface
  public interface TokenKeeper {
    void keep(String token) throws IOException;
  }

  /** Issues a new token with {@code role}; returns the only copy of the token text. */
  public String issue(Role role, String label) throws StoreException {
    try {
      return issue(role, label, token -> {});
    } catch (IOException e) {
      throw new IllegalStateException("a no-op keeper cannot fail", e);
    }
  }

  /**
   * Issues a new token, handing it to {@code keeper} before it is committed. If the process dies in
   * between, the kept copy is simply not valid yet and the next issue replaces it; committed first,
   * a crash would leave a valid token that nobody holds.
   */
  public String issue(Role role, String label, TokenKeeper keeper)
      throws StoreException, IOException {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String token =
        "ppml_"
            + role.name().toLowerCase(Locale.ROOT)
            + "_"
            + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    keeper.keep(token);
    byte[] hash = hash(token);
    String now = Instant.now().toString();
    store.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO api_tokens (hash, role, label, created) VALUES (?, ?, ?, ?)")) {
            s.setBytes(1, hash);
            s.setString(2, role.name());
            s.setString(3, label);
            s.setString(4, now);
            return s.executeUpdate();
          }
        });
    return token;
  }

  /** The role of {@code token}, or empty if it is unknown. */
  public Optional<Role> roleOf(String token) throws StoreException {
    if (token == null || token.isEmpty() || token.length() > MAX_TOKEN) {
      return Optional.empty();
    }
    byte[] presented = hash(token);
    List<Object[]> rows =
        store.read(
            c -> {
              List<Object[]> out = new ArrayList<>();
              try (PreparedStatement s = c.prepareStatement("SELECT hash, role FROM api_tokens");
                  ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                  out.add(new Object[] {rs.getBytes(1), rs.getString(2)});
                }
              }
              return out;
            });
    Role found = null;
    for (Object[] row : rows) {
      // Visit every row so the time taken does not tell which token came close.
      if (MessageDigest.isEqual((byte[]) row[0], presented) && found == null) {
        found = Role.valueOf((String) row[1]);
      }
    }
    return Optional.ofNullable(found);
  }

  private static byte[] hash(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }
}
