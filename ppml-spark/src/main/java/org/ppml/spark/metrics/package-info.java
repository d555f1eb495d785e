/**
 * PPML's metrics in Spark's metrics system, registered by {@link org.ppml.spark.plugin.PpmlPlugin}
 * through the plugin API on the driver and every executor.
 */
package org.ppml.spark.metrics;
