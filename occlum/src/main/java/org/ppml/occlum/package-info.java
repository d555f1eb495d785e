/**
 * Occlum enclaves for Spark.
 *
 * <p>Holds {@code Occlum.json} generation, the sign-tool adapter for two-step signing, DCAP
 * evidence through the {@code /dev/sgx} ioctls (via JNA) and the image templates. See
 * docs/enclave-signing.md.
 */
package org.ppml.occlum;
