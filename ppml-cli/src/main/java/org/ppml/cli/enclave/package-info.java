/**
 * {@code ppml enclave keygen|show|sign|gendata|catsig|measure}: SGX enclave identity, whatever the
 * LibOS (docs/enclave-signing.md).
 *
 * <p>Direct signing ({@code sign}) and two-step signing ({@code gendata}, an offline HSM, {@code
 * catsig}) take their fields from one mixin, {@link org.ppml.cli.enclave.SigStructFieldOptions}, so
 * both produce the same bytes. Keys are RSA-3072 with e=3 or refused; key files are written
 * atomically with mode 0600 and never printed. A production enclave signed with the public Intel
 * SDK sample key draws a loud warning wherever a SIGSTRUCT is shown or made.
 */
package org.ppml.cli.enclave;
