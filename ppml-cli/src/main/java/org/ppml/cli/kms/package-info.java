/**
 * {@code ppml kms serve|attest|datakey|keys|policy|audit}: the key broker's command line (issue 5,
 * docs/key-broker.md).
 *
 * <p>{@link org.ppml.cli.kms.BrokerOptions} names the broker and its TLS trust for every client
 * command; {@link org.ppml.cli.kms.AdminTokenOption} adds the admin token for the admin API, and
 * {@link org.ppml.cli.kms.EvidenceOptions} the evidence for the attested commands. Broker refusals
 * reach {@link org.ppml.cli.ErrorReporter}: 401 and 403 are negative verdicts (exit 1, with the
 * policy violations), an unreachable broker or a TLS failure exit 2. Neither tokens nor data keys
 * are ever printed.
 */
package org.ppml.cli.kms;
