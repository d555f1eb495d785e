/**
 * The Spark plugin ({@code spark.plugins}) that checks an application before any job runs, and the
 * production-readiness rules it applies (docs/spark.md): where keys come from, and whether RPC,
 * shuffle, spill and local directories protect data that leaves the enclave.
 */
package org.ppml.spark.plugin;
