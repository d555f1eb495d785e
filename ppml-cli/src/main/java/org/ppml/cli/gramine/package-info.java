/**
 * {@code ppml gramine manifest|sign}: Gramine v1.9 enclaves for a Spark JVM
 * (docs/enclave-signing.md).
 *
 * <p>{@code sign} reproduces {@code gramine-sgx-sign}'s {@code .sig} byte for byte; {@code
 * manifest} renders a strict manifest (every jar trusted and hashed, fixed argv, an env allow-list)
 * and, given libpal.so and the key, also measures, signs and writes the {@code policy.json} that a
 * key broker registers. Measuring and key handling are shared with {@link org.ppml.cli.enclave}.
 */
package org.ppml.cli.gramine;
