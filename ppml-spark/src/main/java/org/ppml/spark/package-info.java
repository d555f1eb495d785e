/**
 * Spark integration: what data scientists touch (docs/spark.md).
 *
 * <ul>
 *   <li>{@link org.ppml.spark.source}: the {@code format("ppml")} data source, which delegates to
 *       Spark's own file formats over {@code ppml+} paths;
 *   <li>{@link org.ppml.spark.fs}: the encrypting/decrypting Hadoop FileSystem behind {@code
 *       ppml+<scheme>://} paths;
 *   <li>{@link org.ppml.spark.keys}: which component holds which form of a data key, and the
 *       executor-side key release with its cache;
 *   <li>{@link org.ppml.spark.pme}: Parquet modular encryption with keys from the {@code Kms} SPI;
 *   <li>{@link org.ppml.spark.plugin}: the {@code spark.plugins} entry that checks an application
 *       at start;
 *   <li>{@link org.ppml.spark.conf}: the {@code spark.ppml.*} keys.
 * </ul>
 *
 * Spark and Hadoop are provided by the cluster; nothing below this module may import them.
 */
package org.ppml.spark;
