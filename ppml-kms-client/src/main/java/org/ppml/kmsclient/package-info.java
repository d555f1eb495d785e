/**
 * Clients of key services, each a backend of ppml-crypto's {@code Kms} SPI found through {@code
 * ServiceLoader}: {@code ppml+https} and {@code kbs+https} in {@link org.ppml.kmsclient.broker},
 * {@code ehsm+https} in {@link org.ppml.kmsclient.ehsm}, and the URI grammar they share in {@link
 * org.ppml.kmsclient.uri}.
 *
 * <p>This module is what Spark executors load to obtain data keys, so it holds clients only: no
 * server, no Jetty, no database. The broker server (ppml-kms) depends on it for the protocol types
 * both sides share (KBS TEE names, REPORT_DATA binding, error types). See docs/architecture.md.
 */
package org.ppml.kmsclient;
