/**
 * Fixtures other modules' tests reuse against a real broker's data directory (published as the
 * test-jar).
 */
package org.ppml.kms.testing;
