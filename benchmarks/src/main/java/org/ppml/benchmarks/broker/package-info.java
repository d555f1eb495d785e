/**
 * Key-broker benchmarks: throughput and latency of the ppml-kms broker as executors see it, over
 * TLS on loopback against a real broker (SQLite store, simulated attestation), with concurrent
 * clients and a request the broker refuses up front as the baseline. Benchmarks of the crypto
 * primitives and file format belong in {@code org.ppml.benchmarks}, not here.
 */
package org.ppml.benchmarks.broker;
