package org.ppml.kms.attest;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.ppml.kms.store.BrokerDatabase;
import org.ppml.kms.store.StoreException;

/**
 * Challenge nonces of the KBS auth step. Each belongs to one session, expires after {@link
 * #LIFETIME}, and is deleted by the attest that uses it, so it can be used once. They live in the
 * database so a replay across a broker restart, or to another replica, is refused too: of
 * concurrent attempts on any replicas, only the one whose {@code DELETE} removed the row wins.
 */
public final class NonceStore {
  /** How long a nonce may be used. */
  public static final Duration LIFETIME = Duration.ofMinutes(5);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final BrokerDatabase store;

  public NonceStore(BrokerDatabase store) {
    this.store = store;
  }

  /** A fresh nonce for {@code session}, base64 of 32 random bytes. */
  public String issue(String session, Instant now) throws StoreException {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String nonce = Base64.getEncoder().encodeToString(raw);
    long expires = now.plus(LIFETIME).toEpochMilli();
    store.inTransaction(
        c -> {
          // Expired nonces are useless; dropping them here keeps the table the size of the live
          // load.
          try (PreparedStatement prune =
              c.prepareStatement("DELETE FROM nonces WHERE expires <= ?")) {
            prune.setLong(1, now.toEpochMilli());
            prune.executeUpdate();
          }
          try (PreparedStatement s =
              c.prepareStatement("INSERT INTO nonces (nonce, session, expires) VALUES (?, ?, ?)")) {
            s.setString(1, nonce);
            s.setString(2, session);
            s.setLong(3, expires);
            return s.executeUpdate();
          }
        });
    return nonce;
  }

  /**
   * Uses up {@code nonce}: true only if it was issued to {@code session}, has not expired and was
   * not used before. A nonce presented with the wrong session is burnt as well.
   */
  public boolean consume(String session, String nonce, Instant now) throws StoreException {
    if (session == null || nonce == null || nonce.length() > 128) {
      return false;
    }
    return store.inTransaction(
        c -> {
          boolean live;
          try (PreparedStatement s =
              c.prepareStatement(
                  "DELETE FROM nonces WHERE nonce = ? AND session = ? AND expires > ?")) {
            s.setString(1, nonce);
            s.setString(2, session);
            s.setLong(3, now.toEpochMilli());
            live = s.executeUpdate() == 1;
          }
          if (!live) {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM nonces WHERE nonce = ?")) {
              s.setString(1, nonce);
              s.executeUpdate();
            }
          }
          return live;
        });
  }
}
