/**
 * Attestation tokens: ES256 JWTs the broker issues after a quote verifies, carrying the verified
 * claims and the TEE public key (with its RFC 7638 thumbprint under {@code cnf.jkt}). The signing
 * key is sealed in the database so tokens survive a restart; verification is a sequence of named
 * steps whose failures become 401 responses.
 */
package org.ppml.kms.token;
