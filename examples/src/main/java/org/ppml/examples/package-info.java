/**
 * Runnable examples: SQL and MLlib on encrypted data, partitioned encrypted writes, column-level
 * Parquet modular encryption, RDD reads of {@code ppml+file://} paths, and the deterministic data
 * generators the quickstart uses. Each example has one documented command.
 */
package org.ppml.examples;
