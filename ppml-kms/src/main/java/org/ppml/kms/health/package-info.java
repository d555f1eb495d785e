/**
 * Whether the broker can serve: {@link org.ppml.kms.health.Readiness} answers {@code /readyz} from
 * its database, master key and collateral, without revealing anything about them.
 */
package org.ppml.kms.health;
