package org.ppml.spark.plugin;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;
import org.ppml.spark.conf.PpmlConf;
import org.ppml.spark.fs.SchemeSettings;
import org.ppml.spark.keys.KeyReleases;
import org.ppml.spark.metrics.PpmlMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code spark.plugins=org.ppml.spark.plugin.PpmlPlugin}: checks an application before it runs.
 *
 * <p>On the driver it evaluates {@link ProductionReadiness}: in production mode any problem stops
 * the SparkContext from starting, with every problem listed; in dev mode they are logged as
 * warnings. It registers the {@code ppml+} schemes for Hadoop's FileContext API and Delta Lake's
 * log stores ({@link SchemeSettings}), so that tables on {@code ppml+} paths need no further
 * configuration. On executors it zeroes released data keys at shutdown.
 *
 * <p>On the driver and every executor it registers {@link PpmlMetrics} with Spark's metrics system
 * (source {@code plugin.org.ppml.spark.plugin.PpmlPlugin}), so any configured sink (the Prometheus
 * servlet, JMX, CSV) shows them with no code from the user.
 */
public final class PpmlPlugin implements SparkPlugin {
  private static final Logger LOG = LoggerFactory.getLogger(PpmlPlugin.class);

  @Override
  public DriverPlugin driverPlugin() {
    return new DriverPlugin() {
      @Override
      public Map<String, String> init(SparkContext sc, PluginContext context) {
        SparkConf sparkConf = sc.conf();
        Function<String, String> lookup = k -> sparkConf.get(k, null);
        check(lookup, ProductionReadiness.localDirs(lookup), ProductionReadiness.hostMounts());
        registerSchemes(sc);
        return Map.of();
      }

      @Override
      public void registerMetrics(String appId, PluginContext context) {
        PpmlMetrics.register(context.metricRegistry());
      }
    };
  }

  @Override
  public ExecutorPlugin executorPlugin() {
    return new ExecutorPlugin() {
      @Override
      public void init(PluginContext context, Map<String, String> extraConf) {
        // Registered during init: Spark adds the plugin's registry to the executor's metrics
        // system right after.
        PpmlMetrics.register(context.metricRegistry());
      }

      @Override
      public void shutdown() {
        KeyReleases.closeAll();
      }
    };
  }

  /**
   * Sets {@link SchemeSettings#session()} where the application did not set them itself: in the
   * SparkConf (Delta reads its log store choice there; executors copy {@code spark.hadoop.*}) and
   * in the driver's Hadoop configuration, which sessions copy.
   */
  static void registerSchemes(SparkContext sc) {
    SparkConf conf = sc.conf();
    SchemeSettings.session()
        .forEach(
            (key, value) -> {
              if (!conf.contains(key)) {
                conf.set(key, value);
                if (key.startsWith(SchemeSettings.SPARK_HADOOP)) {
                  sc.hadoopConfiguration()
                      .setIfUnset(key.substring(SchemeSettings.SPARK_HADOOP.length()), value);
                }
              }
            });
  }

  /**
   * Applies the mode to the readiness problems.
   *
   * @throws IllegalStateException in production mode when anything is missing
   */
  static void check(
      Function<String, String> spark,
      List<java.nio.file.Path> localDirs,
      List<ProductionReadiness.Mount> mounts) {
    PpmlConf conf = PpmlConf.from(spark);
    List<String> problems = ProductionReadiness.problems(spark, conf, localDirs, mounts);
    if (problems.isEmpty()) {
      return;
    }
    if (conf.mode() == PpmlConf.Mode.PRODUCTION) {
      throw new IllegalStateException(
          "spark.ppml.mode=production, but this application is not ready:\n  - "
              + String.join("\n  - ", problems));
    }
    LOG.warn(
        "PPML dev mode; in production these would stop the application:\n  - {}",
        String.join("\n  - ", problems));
  }
}
