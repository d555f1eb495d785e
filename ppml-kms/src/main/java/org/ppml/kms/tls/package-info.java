/**
 * The broker's TLS identity: a self-signed ECDSA P-256 certificate created on first start (clients
 * pin its SHA-256), or a configured PEM certificate and key.
 */
package org.ppml.kms.tls;
