package org.ppml.spark.keys;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.ppml.crypto.envelope.DataKeyResolver;
import org.ppml.crypto.kms.DataKey;
import org.ppml.crypto.kms.WrappedKey;

/**
 * A bounded LRU cache of released data keys with a time-to-live, in front of another resolver.
 *
 * <p>An executor opens many files under one data key (one per dataset write); without the cache
 * each would cost a release round trip. The TTL bounds how long a key outlives a revoked policy.
 * Every key that leaves the cache, by eviction, expiry or {@link #clear()}, is zeroed. Callers get
 * their own copy, which they close, so a caller can never zero the cached key under another.
 *
 * <p>Explicit keys (Parquet files that name their key by id, {@link KeyReleases#explicitKey}) are
 * held the same way: a job reading many such files would otherwise fetch the key once per file
 * footer and column.
 *
 * <p>A release runs outside the lock, so a slow broker does not block hits on other keys; two
 * threads missing on the same key may both release it, and the second copy is zeroed.
 */
public final class DataKeyCache implements DataKeyResolver {
  private final DataKeyResolver delegate;
  private final int capacity;
  private final long ttlNanos;
  private final LongSupplier nanoTime;
  private final Listener listener;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

  /** A cached secret: a data key, or the bytes of an explicit key. */
  private record Entry(DataKey key, byte[] explicit, long expiresAt) {
    void destroy() {
      if (key != null) {
        key.destroy();
      } else {
        Arrays.fill(explicit, (byte) 0);
      }
    }
  }

  /** Told of each hit and each release behind a miss (for metrics). */
  public interface Listener {
    /** A key served from the cache. */
    void hit();

    /** A key released by the resolver behind the cache, taking {@code nanos}. */
    void released(long nanos);

    /** Tells nothing. */
    Listener NONE =
        new Listener() {
          @Override
          public void hit() {}

          @Override
          public void released(long nanos) {}
        };
  }

  /** Where an explicit key comes from on a miss. */
  @FunctionalInterface
  public interface ExplicitKeyLookup {
    /** The key's bytes, which the cache keeps and zeroes when they leave it. */
    byte[] explicitKey(String keyId) throws IOException;
  }

  /**
   * @param capacity most keys held at once (at least 1)
   * @param ttl how long a released key is reused
   * @param nanoTime the clock, {@code System::nanoTime} outside tests
   */
  public DataKeyCache(DataKeyResolver delegate, int capacity, Duration ttl, LongSupplier nanoTime) {
    this(delegate, capacity, ttl, nanoTime, Listener.NONE);
  }

  /**
   * @param listener told of hits and releases
   */
  public DataKeyCache(
      DataKeyResolver delegate,
      int capacity,
      Duration ttl,
      LongSupplier nanoTime,
      Listener listener) {
    if (capacity < 1) {
      throw new IllegalArgumentException("cache capacity must be at least 1");
    }
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("cache TTL must be positive");
    }
    this.delegate = Objects.requireNonNull(delegate);
    this.capacity = capacity;
    this.ttlNanos = ttl.toNanos();
    this.nanoTime = Objects.requireNonNull(nanoTime);
    this.listener = Objects.requireNonNull(listener);
  }

  @Override
  public DataKey resolve(String kmsReference, WrappedKey wrapped, String source)
      throws IOException {
    String id = idOf(kmsReference, wrapped);
    // Copied under the lock: an eviction on another thread zeroes the cached key.
    synchronized (this) {
      Entry hit = live(id);
      if (hit != null) {
        listener.hit();
        return copyOf(hit.key);
      }
    }
    long started = System.nanoTime();
    DataKey released = delegate.resolve(kmsReference, wrapped, source);
    listener.released(System.nanoTime() - started);
    if (released == null) {
      return null;
    }
    DataKey copy = copyOf(released);
    keep(id, new Entry(released, null, nanoTime.getAsLong() + ttlNanos));
    return copy;
  }

  /**
   * A copy of the explicit key {@code keyId}, from {@code source} on a miss; the caller zeroes it.
   */
  public byte[] explicitKey(String keyId, ExplicitKeyLookup source) throws IOException {
    // Not a data-key id: those always start with a KMS reference, never with this marker.
    String id = "explicit\n" + keyId;
    synchronized (this) {
      Entry hit = live(id);
      if (hit != null) {
        listener.hit();
        return hit.explicit.clone();
      }
    }
    long started = System.nanoTime();
    byte[] released = source.explicitKey(keyId);
    listener.released(System.nanoTime() - started);
    byte[] copy = released.clone();
    keep(id, new Entry(null, released, nanoTime.getAsLong() + ttlNanos));
    return copy;
  }

  /** The unexpired entry for {@code id}, or null; an expired one is dropped and zeroed. */
  private synchronized Entry live(String id) {
    Entry hit = entries.get(id);
    if (hit == null) {
      return null;
    }
    if (nanoTime.getAsLong() - hit.expiresAt < 0) {
      return hit;
    }
    entries.remove(id);
    hit.destroy();
    return null;
  }

  private synchronized void keep(String id, Entry entry) {
    Entry previous = entries.put(id, entry);
    if (previous != null) {
      previous.destroy();
    }
    for (Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        entries.size() > capacity; ) {
      Entry eldest = it.next().getValue();
      it.remove();
      eldest.destroy();
    }
  }

  /** Number of keys held now (expired ones included until touched). */
  public synchronized int size() {
    return entries.size();
  }

  /** Zeroes and drops every cached key. */
  public synchronized void clear() {
    for (Entry e : entries.values()) {
      e.destroy();
    }
    entries.clear();
  }

  // The wrapped key is not secret, and it is what distinguishes two data keys under one version.
  private static String idOf(String kmsReference, WrappedKey wrapped) {
    return kmsReference
        + '\n'
        + wrapped.keyName()
        + '\n'
        + wrapped.keyVersion()
        + '\n'
        + Base64.getEncoder().encodeToString(wrapped.wrapped());
  }

  private static DataKey copyOf(DataKey key) {
    byte[] bytes = key.keyBytes();
    try {
      return new DataKey(bytes, key.wrapped());
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  @Override
  public synchronized String toString() {
    return "DataKeyCache[" + entries.size() + "/" + capacity + " keys]";
  }
}
