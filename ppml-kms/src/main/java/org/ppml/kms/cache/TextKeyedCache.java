package org.ppml.kms.cache;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded, thread-safe map from an exact text to what was derived from it by a deterministic,
 * costly step (a parse, a signature check). Because the key is the whole input, a changed input is
 * a new key and goes through the step again: such a cache never needs invalidating. Only successes
 * are stored, so a rejected input is rejected again on every try. The least recently used entry
 * goes first when the cache is full.
 *
 * @param <V> the derived value; it must be immutable, since callers share it
 */
public final class TextKeyedCache<V> {
  /** The step whose result is cached. */
  @FunctionalInterface
  public interface Derivation<V, E extends Exception> {
    V derive(String text) throws E;
  }

  private final Map<String, V> entries;

  public TextKeyedCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.entries =
        new LinkedHashMap<>(Math.min(capacity, 256), 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
            return size() > capacity;
          }
        };
  }

  /** The value for {@code text}, derived now (outside any lock) if it is not cached. */
  public <E extends Exception> V get(String text, Derivation<V, E> derivation) throws E {
    synchronized (entries) {
      V cached = entries.get(text);
      if (cached != null) {
        return cached;
      }
    }
    V value = derivation.derive(text);
    synchronized (entries) {
      entries.put(text, value);
    }
    return value;
  }

  /** The number of cached entries. */
  public int size() {
    synchronized (entries) {
      return entries.size();
    }
  }
}
