/**
 * The broker's durable state in one SQLite file (WAL, {@code synchronous=FULL}): primary keys and
 * resources sealed under the {@link org.ppml.kms.store.MasterKey}, policies, hashed API tokens,
 * nonces, sealed settings and the audit table, with versioned schema migrations.
 *
 * <p>Every write is one transaction that is on disk when the call returns, so an acknowledged key
 * survives a crash. Nothing in this package logs, and no exception message carries key material.
 */
package org.ppml.kms.store;
