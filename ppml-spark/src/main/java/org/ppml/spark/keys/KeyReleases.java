package org.ppml.spark.keys;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ppml.crypto.envelope.DataKeyResolver;
import org.ppml.crypto.envelope.KmsKeyResolver;
import org.ppml.crypto.kms.ExplicitKeySource;
import org.ppml.crypto.kms.Kms;
import org.ppml.crypto.kms.KmsCapability;
import org.ppml.crypto.kms.KmsCredentials;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.KmsRegistry;
import org.ppml.crypto.kms.local.LocalKms;
import org.ppml.spark.conf.PpmlConf;
import org.ppml.spark.metrics.PpmlMetrics;

/**
 * The key releases of this JVM: one {@link Kms} per configured KMS, opened in this JVM, each with
 * its {@link DataKeyCache}.
 *
 * <p>A driver asks only for wrapped keys ({@link Kms#generateWrappedDataKey}); executors get
 * plaintext keys through {@link #resolverFor} (reads, and writes that carry a driver's wrapped key)
 * or {@link Kms#generateDataKey} (writes that came without one). With the key broker ({@code
 * ppml+https}) or a KBS ({@code kbs+https}) every release is attested: the client attests this JVM
 * and receives each data key encrypted to its ephemeral key. With a {@code local:} store (dev mode)
 * there is no attestation: whoever can read the store and its key file gets every key, which is why
 * production mode refuses it ({@link #checkAllowed}).
 *
 * <p>JVM-wide on purpose: Hadoop creates many FileSystem instances (one per job configuration when
 * caching is off), and they must share one cache and one attestation per executor.
 */
public final class KeyReleases {
  /** Most data keys an executor keeps released at once. */
  public static final int CACHE_CAPACITY = 256;

  /** How long a released data key is reused before it is released again. */
  public static final Duration CACHE_TTL = Duration.ofMinutes(15);

  private static final Map<String, Released> RELEASES = new ConcurrentHashMap<>();

  /** A KMS and the cached resolver in front of it. */
  private record Released(Kms kms, DataKeyCache cache) {}

  private KeyReleases() {}

  /**
   * {@code conf}'s KMS, opened on first use and shared by this JVM; callers do not close it.
   *
   * @throws IllegalStateException when the mode forbids that KMS (production with a local store) or
   *     no implementation serves its scheme yet
   */
  public static Kms kms(PpmlConf conf) throws IOException {
    return released(conf).kms;
  }

  /** The cached resolver for reads under {@code conf}'s KMS. */
  public static DataKeyResolver resolverFor(PpmlConf conf) throws IOException {
    return released(conf).cache;
  }

  /**
   * The raw bytes of the explicit key {@code keyId}, for files that name their key by id (Parquet
   * files written with explicit keys by other tools), through {@code conf}'s KMS and held in this
   * JVM's cache like a data key. The caller zeroes the copy it gets.
   *
   * @throws IOException when the KMS holds no such key, or is not an {@link ExplicitKeySource} at
   *     all ({@code UNSUPPORTED})
   */
  public static byte[] explicitKey(PpmlConf conf, String keyId) throws IOException {
    Released r = released(conf);
    ExplicitKeySource source =
        KmsCapability.require(r.kms, ExplicitKeySource.class, "releasing explicit keys by id");
    return r.cache.explicitKey(keyId, source::explicitKey);
  }

  /**
   * Refuses a configuration the mode does not allow, before any job runs.
   *
   * @throws IllegalStateException naming the setting at fault
   */
  public static void checkAllowed(PpmlConf conf) {
    String url = conf.kmsUrl();
    String scheme;
    try {
      scheme = KmsRegistry.schemeOf(url);
    } catch (KmsException e) {
      throw new IllegalStateException(PpmlConf.KMS_URL + ": " + e.getMessage());
    }
    if (LocalKms.SCHEME.equals(scheme)) {
      if (conf.mode() == PpmlConf.Mode.PRODUCTION) {
        throw new IllegalStateException(
            "spark.ppml.mode=production refuses the local key store '"
                + url
                + "' ("
                + PpmlConf.KMS_URL
                + "): a local store releases keys without attestation. Use the key broker (ppml+https://…) or set spark.ppml.mode=dev.");
      }
      return;
    }
    if (PpmlConf.BROKER_SCHEMES.contains(scheme)) {
      if (conf.broker().tlsSha256() == null && !url.contains("tlsCa=")) {
        throw new IllegalStateException(
            PpmlConf.KMS_TLS_SHA256
                + " is required with "
                + PpmlConf.KMS_URL
                + "='"
                + url
                + "': the broker's certificate is pinned by its SHA-256 (printed by ppml kms serve, in endpoint.json)");
      }
      if (conf.mode() == PpmlConf.Mode.PRODUCTION && "simulated".equals(conf.broker().provider())) {
        throw new IllegalStateException(
            "spark.ppml.mode=production refuses "
                + PpmlConf.ATTESTATION_PROVIDER
                + "=simulated: use gramine, occlum, tdx or auto");
      }
      return;
    }
    throw new IllegalStateException(
        PpmlConf.KMS_URL
            + "='"
            + url
            + "': no key release for '"
            + scheme
            + ":'; use local: (dev mode), the key broker (ppml+https://host:port) or a KBS (kbs+https://host:port)");
  }

  /**
   * How many data keys this JVM holds released right now, over all KMSs (for metrics and tests).
   */
  public static int cachedKeyCount() {
    int n = 0;
    for (Released r : RELEASES.values()) {
      n += r.cache.size();
    }
    return n;
  }

  /** Zeroes every cached key and closes every release (tests, executor shutdown). */
  public static void closeAll() {
    for (Released r : RELEASES.values()) {
      r.cache.clear();
      try {
        r.kms.close();
      } catch (IOException e) {
        // Closing only drops in-memory state; nothing to report.
      }
    }
    RELEASES.clear();
  }

  private static Released released(PpmlConf conf) throws IOException {
    checkAllowed(conf);
    String id = conf.kmsIdentity();
    Released existing = RELEASES.get(id);
    if (existing != null) {
      return existing;
    }
    synchronized (RELEASES) {
      existing = RELEASES.get(id);
      if (existing != null) {
        return existing;
      }
      KmsCredentials credentials =
          conf.keyFile().isPresent()
              ? KmsCredentials.of(null, conf.keyFile().get())
              : KmsCredentials.fromEnvironment();
      Kms kms = KmsRegistry.open(conf.kmsOpenUri(), credentials);
      Released fresh =
          new Released(
              kms,
              new DataKeyCache(
                  new KmsKeyResolver(kms),
                  CACHE_CAPACITY,
                  CACHE_TTL,
                  System::nanoTime,
                  PpmlMetrics.KEY_CACHE));
      RELEASES.put(id, fresh);
      return fresh;
    }
  }
}
