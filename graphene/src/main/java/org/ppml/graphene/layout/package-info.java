/**
 * MRENCLAVE for the Gramine v1.9 enclave layout.
 *
 * <p>{@link org.ppml.graphene.layout.GramineLayout} places the areas the way {@code
 * gramine-sgx-sign} does: top-down from {@code sgx.enclave_size}, in the order manifest, SSA, TCS,
 * TLS, stacks, signal stacks, then {@code libpal.so}'s PT_LOAD segments; without EDMM the rest down
 * to the mmap minimum is free heap, added but not measured. {@link
 * org.ppml.graphene.layout.GramineMeasurer} then streams the pages, with TCS and TLS contents as
 * Gramine writes them, into {@link org.ppml.enclave.sgx.EnclaveMeasurement}.
 *
 * <p>The result must match the CPU's measurement bit for bit, so the constants here (SSA frame
 * size, stack sizes, TLS field offsets) are those of Gramine v1.9 and are tested against a
 * SIGSTRUCT that upstream {@code gramine-sgx-sign} produced.
 */
package org.ppml.graphene.layout;
