package org.ppml.kms.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;
import org.ppml.kms.BrokerException;

/**
 * The broker's metric families, in a registry of their own (never the JVM-wide default, so two
 * brokers in one JVM do not mix their counts), written in the Prometheus text format.
 *
 * <p>Labels have bounded values: event names, problem types, endpoint templates, TEE types. Key
 * names are labels only when the operator enables them ({@code --metrics-key-names}), since a key
 * name can say what data it protects; even then a key the broker does not hold is labelled {@code
 * (unknown)}, so a client cannot mint label values by asking for made-up names. Nothing here ever
 * sees key material.
 */
public final class BrokerMetrics {
  /** The label value for a key name that is hidden or not one the broker holds. */
  public static final String HIDDEN_KEY = "(unknown)";

  private static final double[] LATENCY_BUCKETS = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
  };
  private static final String PROBLEM_PREFIX = "urn:ppml:kms:";

  private final boolean keyNameLabels;
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final Counter releases;
  private final Counter denials;
  private final Counter attestations;
  private final Histogram requests;
  private final Histogram auditCommits;
  private final Map<String, Supplier<PoolUsage>> pools = new ConcurrentSkipListMap<>();

  /**
   * @param keyNameLabels whether releases and denials carry a {@code key} label
   */
  public BrokerMetrics(boolean keyNameLabels) {
    this.keyNameLabels = keyNameLabels;
    releases =
        register(
            Counter.builder()
                .name("ppml_kms_releases")
                .help("Releases the broker granted, by event (datakey, unwrap, ...)")
                .labelNames(keyNameLabels ? new String[] {"event", "key"} : new String[] {"event"})
                .build());
    denials =
        register(
            Counter.builder()
                .name("ppml_kms_denials")
                .help("Releases the broker refused, by event and reason (problem type)")
                .labelNames(
                    keyNameLabels
                        ? new String[] {"event", "reason", "key"}
                        : new String[] {"event", "reason"})
                .build());
    attestations =
        register(
            Counter.builder()
                .name("ppml_kms_attestations")
                .help(
                    "Attestation verifications, by result (verified or the refusing step) and TEE")
                .labelNames("result", "tee")
                .build());
    requests =
        register(
            Histogram.builder()
                .name("ppml_kms_request_duration_seconds")
                .help("Time from a request's headers to its response, by endpoint and status")
                .labelNames("endpoint", "method", "status")
                .classicOnly()
                .classicUpperBounds(LATENCY_BUCKETS)
                .build());
    auditCommits =
        register(
            Histogram.builder()
                .name("ppml_kms_audit_commit_duration_seconds")
                .help("Time of one durable audit commit (a group of records, one fsync)")
                .classicOnly()
                .classicUpperBounds(LATENCY_BUCKETS)
                .build());
    registerPoolGauges();
  }

  private <M extends io.prometheus.metrics.model.registry.Collector> M register(M metric) {
    registry.register(metric);
    return metric;
  }

  /** A granted release of {@code key} through {@code event}. */
  public void released(String event, String key) {
    if (keyNameLabels) {
      releases.labelValues(event, key == null ? HIDDEN_KEY : key).inc();
    } else {
      releases.labelValues(event).inc();
    }
  }

  /**
   * A refused release.
   *
   * @param key the key or resource as found in the store, or null when the request named none the
   *     broker holds: a name a client made up never becomes a label value
   * @param kind why
   */
  public void denied(String event, String key, BrokerException.Kind kind) {
    String reason = reason(kind);
    if (keyNameLabels) {
      denials.labelValues(event, reason, key == null ? HIDDEN_KEY : key).inc();
    } else {
      denials.labelValues(event, reason).inc();
    }
  }

  /**
   * An attestation outcome.
   *
   * @param result {@code verified}, or the step that refused ({@code nonce}, {@code tee}, {@code
   *     evidence}, {@code quote}, {@code binding}, {@code request})
   * @param tee {@code sgx}, {@code tdx}, or {@code unknown} when refused before the quote was read
   */
  public void attestation(String result, String tee) {
    attestations.labelValues(result, tee).inc();
  }

  /** One request's time from its headers to its response. */
  public void request(String endpoint, String method, int status, long nanos) {
    requests.labelValues(endpoint, method, Integer.toString(status)).observe(nanos / 1e9);
  }

  /** One audit group commit. */
  public void auditCommit(long nanos) {
    auditCommits.observe(nanos / 1e9);
  }

  /**
   * Publishes a connection pool's use, read from {@code usage} at each scrape, as {@code
   * ppml_kms_db_connections{pool, state}} (active, idle), {@code ppml_kms_db_connections_max{pool}}
   * and {@code ppml_kms_db_waiting_threads{pool}}. The broker calls this once per pool its store
   * names ({@code BrokerDatabase.pools()}); a second call for the same pool name replaces the
   * first.
   */
  public void databasePool(String pool, Supplier<PoolUsage> usage) {
    pools.put(pool, usage);
  }

  private void registerPoolGauges() {
    register(
        GaugeWithCallback.builder()
            .name("ppml_kms_db_connections")
            .help("Database connections by pool and state (active, idle)")
            .labelNames("pool", "state")
            .callback(
                cb ->
                    pools.forEach(
                        (pool, usage) -> {
                          PoolUsage u = usage.get();
                          cb.call(u.active(), pool, "active");
                          cb.call(u.idle(), pool, "idle");
                        }))
            .build());
    register(
        GaugeWithCallback.builder()
            .name("ppml_kms_db_connections_max")
            .help("The most connections a pool opens")
            .labelNames("pool")
            .callback(cb -> pools.forEach((pool, usage) -> cb.call(usage.get().max(), pool)))
            .build());
    register(
        GaugeWithCallback.builder()
            .name("ppml_kms_db_waiting_threads")
            .help("Threads waiting for a database connection")
            .labelNames("pool")
            .callback(cb -> pools.forEach((pool, usage) -> cb.call(usage.get().waiting(), pool)))
            .build());
  }

  /** The text-format content type. */
  public String contentType() {
    return writer.getContentType();
  }

  /** Writes every family in the Prometheus text format. */
  public void write(OutputStream out) throws IOException {
    writer.write(out, registry.scrape());
  }

  /** The short problem type ({@code policy-denied}, {@code unknown-key}, ...). */
  static String reason(BrokerException.Kind kind) {
    String type = kind.type();
    return type.startsWith(PROBLEM_PREFIX)
        ? type.substring(PROBLEM_PREFIX.length())
        : kind.name().toLowerCase(Locale.ROOT);
  }
}
