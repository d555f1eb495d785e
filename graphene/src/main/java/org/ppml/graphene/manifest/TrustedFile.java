package org.ppml.graphene.manifest;

/**
 * One {@code sgx.trusted_files} entry: Gramine refuses to open the file inside the enclave unless
 * its SHA-256 matches, and the hash is part of the measured manifest.
 *
 * @param uri {@code file:} URI of the file, as the enclave sees it
 * @param sha256 lowercase hex SHA-256 of its contents
 */
public record TrustedFile(String uri, String sha256) {}
