/**
 * Gramine (formerly Graphene) enclaves for Spark.
 *
 * <p>Holds manifest generation for Java/Spark (trusted files, fixed argv, env allow-list), the
 * MRENCLAVE computation for the Gramine v1.9 memory layout, the {@code /dev/attestation} evidence
 * provider and the image templates. See docs/enclave-signing.md.
 */
package org.ppml.graphene;
