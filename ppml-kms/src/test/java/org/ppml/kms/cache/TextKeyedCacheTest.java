package org.ppml.kms.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TextKeyedCacheTest {
  @Test
  void derivesOncePerTextAndAgainForAnyOtherText() {
    AtomicInteger calls = new AtomicInteger();
    TextKeyedCache<String> cache = new TextKeyedCache<>(8);
    String first =
        cache.get(
            "{\"a\":1}",
            t -> {
              calls.incrementAndGet();
              return new String(t + "!");
            });
    assertSame(
        first,
        cache.get(
            "{\"a\":1}",
            t -> {
              calls.incrementAndGet();
              return "other";
            }));
    assertEquals(
        "{\"a\":2}!",
        cache.get(
            "{\"a\":2}",
            t -> {
              calls.incrementAndGet();
              return t + "!";
            }));
    assertEquals(2, calls.get());
  }

  @Test
  void aFailedDerivationIsNotRememberedSoItFailsEveryTime() {
    TextKeyedCache<String> cache = new TextKeyedCache<>(8);
    AtomicInteger calls = new AtomicInteger();
    for (int i = 0; i < 3; i++) {
      assertThrows(
          IllegalArgumentException.class,
          () ->
              cache.get(
                  "bad",
                  t -> {
                    calls.incrementAndGet();
                    throw new IllegalArgumentException("rejected");
                  }));
    }
    assertEquals(3, calls.get());
    assertEquals(0, cache.size());
  }

  @Test
  void staysWithinItsCapacityDroppingTheLeastRecentlyUsed() {
    TextKeyedCache<Integer> cache = new TextKeyedCache<>(3);
    AtomicInteger calls = new AtomicInteger();
    for (String t : new String[] {"a", "b", "c", "a", "d"}) {
      cache.get(t, x -> calls.incrementAndGet());
    }
    assertEquals(3, cache.size());
    assertEquals(4, calls.get());
    cache.get("a", x -> calls.incrementAndGet());
    assertEquals(4, calls.get(), "a was used recently and must still be cached");
    cache.get("b", x -> calls.incrementAndGet());
    assertEquals(5, calls.get(), "b was the least recently used and must have been dropped");
  }
}
