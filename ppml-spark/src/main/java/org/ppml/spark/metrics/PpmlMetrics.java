package org.ppml.spark.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.ppml.crypto.CryptoCounters;
import org.ppml.spark.keys.DataKeyCache;

/**
 * This JVM's PPML metrics, as Spark (Dropwizard) metrics: the stream totals of {@link
 * CryptoCounters} (bytes decrypted and encrypted, segments authenticated, integrity failures), and
 * the key releases, cache hits and release latency of this JVM's data-key caches.
 *
 * <p>The totals are JVM-wide, like the key cache they describe: every SparkContext and every
 * FileSystem instance in an executor shares them. Nothing here can hold a key, a key name or a
 * path.
 */
public final class PpmlMetrics {
  private static final Counter KEY_RELEASES = new Counter();
  private static final Counter KEY_CACHE_HITS = new Counter();
  private static final Timer RELEASE_LATENCY = new Timer();

  /** Feeds the key metrics from each {@link DataKeyCache}. */
  public static final DataKeyCache.Listener KEY_CACHE =
      new DataKeyCache.Listener() {
        @Override
        public void hit() {
          KEY_CACHE_HITS.inc();
        }

        @Override
        public void released(long nanos) {
          KEY_RELEASES.inc();
          RELEASE_LATENCY.update(nanos, TimeUnit.NANOSECONDS);
        }
      };

  private PpmlMetrics() {}

  /** Registers every PPML metric in {@code registry} (a plugin's, through its context). */
  public static void register(MetricRegistry registry) {
    registry.register("bytesDecrypted", new TotalCounter(CryptoCounters::bytesDecrypted));
    registry.register("bytesEncrypted", new TotalCounter(CryptoCounters::bytesEncrypted));
    registry.register(
        "segmentsAuthenticated", new TotalCounter(CryptoCounters::segmentsAuthenticated));
    registry.register("integrityFailures", new TotalCounter(CryptoCounters::integrityFailures));
    registry.register("keyReleases", KEY_RELEASES);
    registry.register("keyCacheHits", KEY_CACHE_HITS);
    registry.register("keyReleaseLatency", RELEASE_LATENCY);
  }

  /**
   * A counter whose count is a total kept elsewhere, so that reporters (Spark's Prometheus servlet
   * writes {@code _Count}) see a counter rather than a gauge.
   */
  private static final class TotalCounter extends Counter {
    private final LongSupplier total;

    TotalCounter(LongSupplier total) {
      this.total = total;
    }

    @Override
    public long getCount() {
      return total.getAsLong();
    }
  }
}
