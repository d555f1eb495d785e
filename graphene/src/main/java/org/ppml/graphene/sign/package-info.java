/**
 * Signing Gramine enclaves: the SIGSTRUCT {@code gramine-sgx-sign} would write, built from a {@link
 * org.ppml.graphene.layout.GramineMeasurement} and signed through {@link
 * org.ppml.enclave.sgx.SigStructSigner}, directly or in two steps.
 */
package org.ppml.graphene.sign;
