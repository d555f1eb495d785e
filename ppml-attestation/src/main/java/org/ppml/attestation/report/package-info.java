/**
 * Machine-readable renderings of attestation outcomes, in the CLI's JSON contract (docs/cli.md):
 * camelCase names, lowercase hex, {@code policy {allowed, violations[]}} and {@code error {code,
 * message}}.
 *
 * <p>These classes only shape output; they make no decisions. The CLI wires them to {@code ppml
 * quote verify --json} and {@code ppml quote show --json}.
 */
package org.ppml.attestation.report;
