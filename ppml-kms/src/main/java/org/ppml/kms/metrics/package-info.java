/**
 * The broker's Prometheus metrics ({@code /metrics}): releases, denials, attestations, request and
 * audit-commit latency, database pool use. Labels have bounded values and never carry key material;
 * key names only when the operator enables them.
 */
package org.ppml.kms.metrics;
