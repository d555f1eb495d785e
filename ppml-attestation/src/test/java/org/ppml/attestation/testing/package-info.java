/**
 * Fakes of the platform (Intel PCS/PCCS) that other modules' tests reuse (published as the
 * test-jar).
 */
package org.ppml.attestation.testing;
