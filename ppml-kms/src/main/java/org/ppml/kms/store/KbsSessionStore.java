package org.ppml.kms.store;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * KBS sessions that attested: the session id's digest and the attestation token it earned, so a
 * client that relies on its {@code kbs-session-id} cookie rather than the bearer token can fetch
 * resources from any replica, and after a restart. The token is a bearer credential and is kept
 * sealed under the master key; rows leave the table when the token expires.
 */
public final class KbsSessionStore {
  /** Session ids are digests (base64url of SHA-256); anything longer is not one. */
  private static final int MAX_SESSION = 128;

  private final BrokerDatabase store;
  private final MasterKey masterKey;

  public KbsSessionStore(BrokerDatabase store, MasterKey masterKey) {
    this.store = store;
    this.masterKey = masterKey;
  }

  /**
   * Remembers {@code jwt} for {@code session} until {@code expires}: visible to every replica when
   * this returns, but not flushed to disk (a session lost in a crash costs its client one more
   * attest, and an fsync here would cost every attest).
   */
  public void remember(String session, String jwt, Instant expires, Instant now)
      throws StoreException {
    if (session == null || session.length() > MAX_SESSION) {
      return;
    }
    byte[] plain = jwt.getBytes(StandardCharsets.UTF_8);
    byte[] sealed;
    try {
      sealed = masterKey.seal(plain, context(session));
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
    store.inRelaxedTransaction(
        c -> {
          // Expired sessions are useless; dropping them here keeps the table the live load.
          try (PreparedStatement prune =
              c.prepareStatement("DELETE FROM kbs_sessions WHERE expires <= ?")) {
            prune.setLong(1, now.toEpochMilli());
            prune.executeUpdate();
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO kbs_sessions (session, token, expires) VALUES (?, ?, ?)"
                      + " ON CONFLICT (session) DO UPDATE SET token = excluded.token,"
                      + " expires = excluded.expires")) {
            s.setString(1, session);
            s.setBytes(2, sealed);
            s.setLong(3, expires.toEpochMilli());
            return s.executeUpdate();
          }
        });
  }

  /** The token of {@code session} if it has one that has not expired. */
  public Optional<String> token(String session, Instant now) throws StoreException {
    if (session == null || session.length() > MAX_SESSION) {
      return Optional.empty();
    }
    byte[] sealed =
        store.read(
            c -> {
              try (PreparedStatement s =
                  c.prepareStatement(
                      "SELECT token FROM kbs_sessions WHERE session = ? AND expires > ?")) {
                s.setString(1, session);
                s.setLong(2, now.toEpochMilli());
                try (ResultSet rs = s.executeQuery()) {
                  return rs.next() ? rs.getBytes(1) : null;
                }
              }
            });
    if (sealed == null) {
      return Optional.empty();
    }
    byte[] plain = masterKey.open(sealed, context(session));
    try {
      return Optional.of(new String(plain, StandardCharsets.UTF_8));
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  // The AAD names the session, so a sealed token moved to another session's row does not open.
  private static String context(String session) {
    return "kbs-session:" + session;
  }
}
