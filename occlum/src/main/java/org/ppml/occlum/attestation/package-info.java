/**
 * Evidence from inside an Occlum enclave: DCAP quotes through the LibOS's {@code /dev/sgx} ioctls,
 * called through JNA.
 *
 * <p>The platform sits behind {@link org.ppml.occlum.attestation.SgxDeviceLibc} (libc's {@code
 * open}/{@code ioctl}/{@code close}). Since no SGX device exists here, tests drive the provider
 * with a fake kernel that interprets the real request numbers and the real native argument
 * structures, so the marshalling in {@link org.ppml.occlum.attestation.SgxDeviceIoctl} is what gets
 * tested.
 */
package org.ppml.occlum.attestation;
