package org.ppml.spark.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.crypto.envelope.DataKeyResolver;
import org.ppml.crypto.envelope.KmsKeyResolver;
import org.ppml.crypto.kms.DataKey;
import org.ppml.crypto.kms.WrappedKey;
import org.ppml.crypto.kms.local.LocalKms;
import org.ppml.crypto.testing.TestKeyStores;

class DataKeyCacheTest {
  @TempDir Path dir;
  private LocalKms kms;
  private final AtomicLong now = new AtomicLong();
  private final List<DataKey> released = new ArrayList<>();
  private DataKeyResolver counting;

  @BeforeEach
  void setUp() throws IOException {
    kms = TestKeyStores.withKeys(dir, "k1");
    KmsKeyResolver real = new KmsKeyResolver(kms);
    counting =
        (reference, wrapped, source) -> {
          DataKey k = real.resolve(reference, wrapped, source);
          released.add(k);
          return k;
        };
  }

  private WrappedKey newWrappedKey() throws IOException {
    return kms.generateWrappedDataKey("k1");
  }

  @Test
  void hitsReturnCopiesOfOneRelease() throws IOException {
    DataKeyCache cache = new DataKeyCache(counting, 4, Duration.ofMinutes(1), now::get);
    WrappedKey h = newWrappedKey();
    DataKey a = cache.resolve(kms.reference(), h, "f1");
    DataKey b = cache.resolve(kms.reference(), h, "f2");
    assertEquals(1, released.size());
    assertNotSame(a, b);
    assertArrayEquals(a.keyBytes(), b.keyBytes());
    a.close();
    // A caller closing its copy must not zero the cached key under the next caller.
    DataKey c = cache.resolve(kms.reference(), h, "f3");
    assertArrayEquals(b.keyBytes(), c.keyBytes());
    assertFalse(released.get(0).isDestroyed());
  }

  @Test
  void theListenerHearsEachHitAndEachReleaseBehindAMiss() throws IOException {
    List<String> heard = new ArrayList<>();
    DataKeyCache cache =
        new DataKeyCache(
            counting,
            4,
            Duration.ofMinutes(1),
            now::get,
            new DataKeyCache.Listener() {
              @Override
              public void hit() {
                heard.add("hit");
              }

              @Override
              public void released(long nanos) {
                assertTrue(nanos >= 0);
                heard.add("release");
              }
            });
    WrappedKey h1 = newWrappedKey();
    WrappedKey h2 = newWrappedKey();
    cache.resolve(kms.reference(), h1, "a").close();
    cache.resolve(kms.reference(), h1, "a").close();
    cache.resolve(kms.reference(), h2, "b").close();
    cache.resolve(kms.reference(), h1, "a").close();
    assertEquals(List.of("release", "hit", "release", "hit"), heard);
    assertEquals(2, released.size(), "one release per miss, as heard");
  }

  @Test
  void leastRecentlyUsedIsEvictedAndZeroed() throws IOException {
    DataKeyCache cache = new DataKeyCache(counting, 2, Duration.ofMinutes(1), now::get);
    WrappedKey h1 = newWrappedKey();
    WrappedKey h2 = newWrappedKey();
    WrappedKey h3 = newWrappedKey();
    cache.resolve(kms.reference(), h1, "a").close();
    cache.resolve(kms.reference(), h2, "b").close();
    cache.resolve(kms.reference(), h1, "a").close(); // h1 is now more recent than h2
    cache.resolve(kms.reference(), h3, "c").close(); // evicts h2
    assertEquals(2, cache.size());
    assertEquals(3, released.size());
    assertTrue(released.get(1).isDestroyed(), "evicted key is zeroed");
    assertFalse(released.get(0).isDestroyed());
    cache.resolve(kms.reference(), h1, "a").close();
    assertEquals(3, released.size(), "h1 still cached");
    cache.resolve(kms.reference(), h2, "b").close();
    assertEquals(4, released.size(), "h2 released again after eviction");
  }

  @Test
  void expiredKeysAreReleasedAgainAndZeroed() throws IOException {
    DataKeyCache cache = new DataKeyCache(counting, 8, Duration.ofSeconds(10), now::get);
    WrappedKey h = newWrappedKey();
    cache.resolve(kms.reference(), h, "a").close();
    now.addAndGet(Duration.ofSeconds(9).toNanos());
    cache.resolve(kms.reference(), h, "a").close();
    assertEquals(1, released.size());
    now.addAndGet(Duration.ofSeconds(2).toNanos());
    cache.resolve(kms.reference(), h, "a").close();
    assertEquals(2, released.size());
    assertTrue(released.get(0).isDestroyed());
  }

  @Test
  void clearZeroesEverything() throws IOException {
    DataKeyCache cache = new DataKeyCache(counting, 8, Duration.ofMinutes(1), now::get);
    cache.resolve(kms.reference(), newWrappedKey(), "a").close();
    cache.resolve(kms.reference(), newWrappedKey(), "b").close();
    cache.clear();
    assertEquals(0, cache.size());
    assertTrue(released.stream().allMatch(DataKey::isDestroyed));
    assertFalse(cache.toString().contains("k1v"), cache.toString());
  }

  @Test
  void explicitKeysAreFetchedOnceHeldAsCopiesAndZeroedWhenTheyLeave() throws IOException {
    byte[] material = "0123456789012345".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    kms.importKey("kf", material.clone());
    List<byte[]> fetched = new ArrayList<>();
    DataKeyCache.ExplicitKeyLookup lookup =
        id -> {
          byte[] k = kms.explicitKey(id);
          fetched.add(k);
          return k;
        };
    DataKeyCache cache = new DataKeyCache(counting, 2, Duration.ofSeconds(10), now::get);
    byte[] first = cache.explicitKey("kf", lookup);
    java.util.Arrays.fill(
        first, (byte) 0); // a caller zeroing its copy leaves the cached key intact
    assertArrayEquals(material, cache.explicitKey("kf", lookup));
    assertEquals(1, fetched.size());
    // An explicit key and a data key never share an entry, even under one name.
    cache.resolve(kms.reference(), newWrappedKey(), "a").close();
    assertEquals(2, cache.size());
    now.addAndGet(Duration.ofSeconds(11).toNanos());
    assertArrayEquals(material, cache.explicitKey("kf", lookup));
    assertEquals(2, fetched.size(), "an expired explicit key is fetched again");
    assertArrayEquals(new byte[material.length], fetched.get(0), "the expired copy is zeroed");
    cache.clear();
    assertArrayEquals(new byte[material.length], fetched.get(1), "clear zeroes explicit keys too");
  }
}
