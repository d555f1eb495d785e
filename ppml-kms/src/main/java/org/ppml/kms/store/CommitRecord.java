package org.ppml.kms.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What a change writes beside itself, in the same transaction: its audit record. Committing both at
 * once means no crash can leave a key, policy, resource or token in the store without the record
 * that says who made it, nor a record of a change that did not happen.
 *
 * @param <R> what the change produced (a key's new state, say), which the record may name
 */
@FunctionalInterface
public interface CommitRecord<R> {
  /** Writes the record through {@code c}, inside the change's transaction. */
  void write(Connection c, R result) throws SQLException, StoreException;

  /** No record: for changes that are not audited (tests, internal bookkeeping). */
  static <R> CommitRecord<R> none() {
    return (c, r) -> {};
  }
}
