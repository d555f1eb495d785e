/**
 * The {@code format("ppml")} data source ({@code USING ppml} in SQL).
 *
 * <p>It adds no reader or writer of its own: it rewrites paths to {@code ppml+<scheme>} and hands
 * everything else to Spark's file format named by option {@code format} ({@link
 * org.ppml.spark.source.InnerFormat}), so that behaviour matches the plain format option for
 * option. Options are parsed once into {@link org.ppml.spark.source.PpmlOptions}.
 */
package org.ppml.spark.source;
