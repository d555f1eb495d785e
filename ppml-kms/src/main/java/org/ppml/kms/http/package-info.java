/**
 * The broker's HTTPS front: {@link org.ppml.kms.http.KeyBrokerServer} on Jetty 12's core handler
 * API (no servlet stack), TLS only, routing to the KBS 0.4.0 endpoints, the PPML extension and the
 * admin API. Every body is bounded before it is read; every failure is an RFC 7807 problem, except
 * on {@code /kbs/v0/*}, where it takes Trustee's {@code {type, detail}} body and 401/404 statuses
 * ({@link org.ppml.kms.http.KbsErrors}).
 */
package org.ppml.kms.http;
