/**
 * The {@code spark.ppml.*} configuration keys and their parsing ({@link
 * org.ppml.spark.conf.PpmlConf}).
 *
 * <p>Only references live in configuration: a KMS URI, a key name, a key-file path, a segment size,
 * and (per write job) a wrapped data key. Spark copies configuration into the UI and event logs, so
 * a plaintext key must never be put here.
 */
package org.ppml.spark.conf;
