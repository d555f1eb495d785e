/**
 * {@code ppml parquet head}: rows of an encrypted Parquet file (whole-file PPML or Parquet modular
 * encryption) for data owners without a Spark session. Uses parquet-java from the Spark class path
 * that {@code bin/ppml} provides.
 */
package org.ppml.cli.parquet;
