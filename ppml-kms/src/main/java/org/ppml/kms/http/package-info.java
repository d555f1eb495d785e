/**
 * The broker's HTTPS front: {@link org.ppml.kms.http.KeyBrokerServer} on Jetty 12's core handler
 * API (no servlet stack), TLS only, routing to the KBS 0.4.0 endpoints, the PPML extension and the
 * admin API. Every body is bounded before it is read and every failure is an RFC 7807 problem.
 */
package org.ppml.kms.http;
