package org.ppml.spark.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Starts several racers at the same instant, so that a commit race (a non-replacing rename, a table
 * append) really happens instead of the racers running one after another.
 */
public final class StartingGun {
  private StartingGun() {}

  /** One racer; {@code racer} is its index, 0 to n-1. */
  public interface Racer<T> {
    T run(int racer) throws Exception;
  }

  /**
   * Runs {@code n} racers on threads of their own, released together, and returns their results in
   * racer order. A racer that throws fails the race with its exception as the cause.
   */
  public static <T> List<T> race(int n, Racer<T> racer) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> running = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        running.add(
            pool.submit(
                () -> {
                  go.await();
                  return racer.run(index);
                }));
      }
      go.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : running) {
        results.add(f.get());
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  /** The indices of the racers that returned true. */
  public static List<Integer> winners(List<Boolean> results) {
    List<Integer> winners = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      if (results.get(i)) {
        winners.add(i);
      }
    }
    return winners;
  }
}
