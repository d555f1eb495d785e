/**
 * Clients of the PPML key broker (docs/key-broker.md): {@link
 * org.ppml.kmsclient.broker.KeyBrokerClient} runs KBS 0.4.0 auth and attest ({@code KbsHandshake},
 * with the bodies of the reference client, guest-components {@code kbs_protocol}) with evidence
 * from an evidence provider and an ephemeral P-256 TEE key that never leaves the process, then the
 * PPML extension; the admin client drives {@code /admin/v1}; {@link
 * org.ppml.kmsclient.broker.PpmlBrokerKms} is the {@code ppml+https} backend of the {@code Kms} SPI
 * and {@link org.ppml.kmsclient.broker.KbsKms} the {@code kbs+https} backend for any KBS 0.4.0 that
 * holds data keys as resources. Both read their URI through {@link
 * org.ppml.kmsclient.broker.BrokerUriOptions}. {@link org.ppml.kmsclient.broker.RuntimeDataBinding}
 * is the one definition of REPORT_DATA that both the broker and its clients use; {@link
 * org.ppml.kmsclient.broker.KbsTee} and {@link org.ppml.kmsclient.broker.KbsErrorType} are
 * kbs-types' TEE names and Trustee's error variants. TLS trust is a pinned certificate SHA-256 or a
 * CA bundle.
 */
package org.ppml.kmsclient.broker;
