/**
 * The key-broker server: attestation-bound release of data keys.
 *
 * <p>Holds the KBS 0.4.0 endpoints ({@code /kbs/v0/auth}, {@code /attest}, {@code /resource}), the
 * PPML extension ({@code /ppml/v1/datakey}, {@code /unwrap}, {@code /wrapped-datakey}), the admin
 * API, the SQLite store with primary keys sealed under a master key, and the audit log. See
 * docs/key-broker.md. Clients of the broker live in ppml-attestation, not here.
 */
package org.ppml.kms;
