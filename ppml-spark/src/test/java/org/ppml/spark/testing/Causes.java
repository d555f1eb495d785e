package org.ppml.spark.testing;

/** Looks through an exception's cause chain, as Spark wraps task failures several levels deep. */
public final class Causes {
  private Causes() {}

  /** Whether {@code e} or any of its causes is a {@code type}. */
  public static boolean includes(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
