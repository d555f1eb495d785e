package org.ppml.kms.store;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.Optional;

/**
 * Broker-wide secrets kept in the {@code settings} table, sealed under the master key: the token
 * signing key, and a check value that tells a wrong master key from a corrupt database at start.
 */
public final class SealedSettings {
  private static final String CHECK = "master-key-check";
  private static final byte[] CHECK_VALUE =
      "ppml-kms master key check v1".getBytes(StandardCharsets.UTF_8);

  private final BrokerDatabase store;
  private final MasterKey masterKey;

  public SealedSettings(BrokerDatabase store, MasterKey masterKey) {
    this.store = store;
    this.masterKey = masterKey;
  }

  /**
   * Confirms the master key is the one this database was sealed with, recording it on first use.
   *
   * @throws StoreException if the database was sealed under another master key
   */
  public void checkMasterKey() throws StoreException {
    byte[] value = readOrCreate(CHECK, CHECK_VALUE);
    if (!Arrays.equals(value, CHECK_VALUE)) {
      throw new StoreException("master key check value is wrong");
    }
  }

  /** The setting's plaintext, or empty if never set. The caller zeroes it. */
  public Optional<byte[]> read(String name) throws StoreException {
    byte[] sealed = store.read(c -> select(c, name));
    if (sealed == null) {
      return Optional.empty();
    }
    return Optional.of(open(name, sealed));
  }

  /**
   * The setting's plaintext; if it was never set, {@code fresh} is stored first. Of several
   * replicas starting at once, the first to commit wins and every one returns its value. The caller
   * zeroes the result (and {@code fresh}).
   */
  public byte[] readOrCreate(String name, byte[] fresh) throws StoreException {
    byte[] candidate = masterKey.seal(fresh, context(name));
    byte[] sealed =
        store.inTransaction(
            c -> {
              try (PreparedStatement s =
                  c.prepareStatement(
                      "INSERT INTO settings (name, value) VALUES (?, ?)"
                          + " ON CONFLICT (name) DO NOTHING")) {
                s.setString(1, name);
                s.setBytes(2, candidate);
                s.executeUpdate();
              }
              return select(c, name);
            });
    return open(name, sealed);
  }

  private static byte[] select(java.sql.Connection c, String name) throws java.sql.SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT value FROM settings WHERE name = ?")) {
      s.setString(1, name);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getBytes(1) : null;
      }
    }
  }

  private byte[] open(String name, byte[] sealed) throws StoreException {
    try {
      return masterKey.open(sealed, context(name));
    } catch (StoreException e) {
      throw new StoreException(
          "setting '"
              + name
              + "' does not open under the master key from "
              + masterKey.source()
              + ": the database was created with another master key",
          e);
    }
  }

  /** Sets a setting, sealed. */
  public void write(String name, byte[] value) throws StoreException {
    byte[] sealed = masterKey.seal(value, context(name));
    store.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value")) {
            s.setString(1, name);
            s.setBytes(2, sealed);
            return s.executeUpdate();
          }
        });
  }

  private static String context(String name) {
    return "setting:" + name;
  }
}
