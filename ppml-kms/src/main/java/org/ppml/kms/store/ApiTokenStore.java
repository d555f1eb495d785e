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

  private final BrokerDatabase store;

  public ApiTokenStore(BrokerDatabase store) {
    this.store = store;
  }

  /** Whether any admin token exists (false on first start). */
  public boolean hasAdminToken() throws StoreException {
    return store.read(ApiTokenStore::anyAdmin);
  }

  private static boolean anyAdmin(java.sql.Connection c) throws java.sql.SQLException {
    try (PreparedStatement s =
            c.prepareStatement("SELECT 1 FROM api_tokens WHERE role = 'ADMIN' LIMIT 1");
        ResultSet rs = s.executeQuery()) {
      return rs.next();
    }
  }

  /** Where a new token goes before it becomes valid. */
  @FunctionalInterface
  public interface TokenKeeper {
    void keep(String token) throws IOException;
  }

  /**
   * Issues a new token with {@code role}, writing {@code record} in the same transaction; returns
   * the only copy of the token text.
   */
  public String issue(Role role, String label, CommitRecord<Role> record) throws StoreException {
    String token = newToken(role);
    store.inTransaction(
        c -> {
          insert(c, token, role, label);
          record.write(c, role);
          return null;
        });
    return token;
  }

  /**
   * The first admin token, if no admin token exists yet: handed to {@code keeper} before it is
   * committed, under the {@link BrokerDatabase.TransactionLock#INITIALISE} lock, so of several
   * replicas starting at once on one empty database exactly one issues it. If the process dies
   * between keeping and committing, the kept copy is simply not valid yet and the next start
   * replaces it; committed first, a crash would leave a valid token that nobody holds.
   *
   * @return the token, or empty when an admin token already existed
   */
  public Optional<String> issueFirstAdmin(String label, TokenKeeper keeper)
      throws StoreException, IOException {
    String token = newToken(Role.ADMIN);
    IOException[] keepFailure = new IOException[1];
    boolean issued;
    try {
      issued =
          store.inTransaction(
              c -> {
                store.lock(c, BrokerDatabase.TransactionLock.INITIALISE);
                if (anyAdmin(c)) {
                  return false;
                }
                try {
                  keeper.keep(token);
                } catch (IOException e) {
                  keepFailure[0] = e;
                  throw new StoreException("cannot keep the first admin token", e);
                }
                insert(c, token, Role.ADMIN, label);
                return true;
              });
    } catch (StoreException e) {
      if (keepFailure[0] != null) {
        throw keepFailure[0];
      }
      throw e;
    }
    return issued ? Optional.of(token) : Optional.empty();
  }

  private static String newToken(Role role) {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    return "ppml_"
        + role.name().toLowerCase(Locale.ROOT)
        + "_"
        + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  private static void insert(java.sql.Connection c, String token, Role role, String label)
      throws java.sql.SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO api_tokens (hash, role, label, created) VALUES (?, ?, ?, ?)")) {
      s.setBytes(1, hash(token));
      s.setString(2, role.name());
      s.setString(3, label);
      s.setString(4, Instant.now().toString());
      s.executeUpdate();
    }
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
