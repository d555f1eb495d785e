/**
 * Spark integration: what data scientists touch.
 *
 * <p>Holds the {@code format("ppml")} data source that delegates to Spark's own file formats, the
 * encrypting/decrypting Hadoop FileSystem behind {@code ppml+<scheme>://} paths, the Parquet
 * modular-encryption {@code KmsClient} backed by the {@code Kms} SPI, the {@code PpmlPlugin} that
 * attests executors at start, and the {@code spark.ppml.*} configuration keys. See DESIGN.md §7.
 * Spark and Hadoop are provided by the cluster; nothing below this module may import them.
 */
package org.ppml.spark;
