/**
 * Gramine manifests: reading the SGX settings that decide an enclave's measurement and SIGSTRUCT
 * from a {@code .manifest.sgx}, and the enclave attributes Gramine derives from them.
 *
 * <p>Manifests are TOML, read with jackson-dataformat-toml. Missing settings take the defaults of
 * Gramine v1.9's {@code graminelibos.Manifest}; settings Gramine would reject (a malformed size, an
 * unknown {@code cpu_features} value) are rejected here too, with a {@link
 * org.ppml.graphene.manifest.GramineManifestException} naming the key.
 */
package org.ppml.graphene.manifest;
