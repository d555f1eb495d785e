package org.ppml.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ppml.crypto.provider.CryptoProviders;

/**
 * The crypto benchmark with and without Tink on the class path. A deadline of "now" gives no
 * warm-up and exactly one measured round, which is all these checks need.
 */
class CryptoBenchmarkTest {
  private static final int DATA = 1 << 20;

  /**
   * Sees everything its parent sees except Tink: the class path of a plain {@code java -jar
   * ppml.jar}.
   */
  private static final class WithoutTink extends ClassLoader {
    WithoutTink() {
      super(CryptoBenchmarkTest.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (name.startsWith("com.google.crypto.tink.")) {
        throw new ClassNotFoundException(name);
      }
      return super.loadClass(name, resolve);
    }
  }

  @Test
  void withTinkEveryKernelIsMeasured() throws Exception {
    CryptoBenchmark.Result r = CryptoBenchmark.run(CryptoProviders.jdk(), DATA, System.nanoTime());
    assertTrue(r.tinkMeasured());
    for (double v :
        new double[] {
          r.rawDecrypt(),
          r.streamDecrypt(),
          r.tinkDecrypt(),
          r.rawEncrypt(),
          r.streamEncrypt(),
          r.tinkEncrypt()
        }) {
      assertTrue(v > 0 && Double.isFinite(v), r.toString());
    }
    assertTrue(r.decryptStreamVsTink() > 0, r.toString());
  }

  @Test
  void withoutTinkRawAndStreamAreStillMeasuredAndTinkIsMarkedMissing() throws Exception {
    CryptoBenchmark.Result r =
        CryptoBenchmark.run(CryptoProviders.jdk(), DATA, System.nanoTime(), new WithoutTink());
    assertFalse(r.tinkMeasured());
    assertTrue(
        Double.isNaN(r.tinkDecrypt()) && Double.isNaN(r.decryptStreamVsTink()), r.toString());
    assertTrue(
        r.rawDecrypt() > 0 && r.streamDecrypt() > 0 && r.decryptStreamVsRaw() > 0, r.toString());
    assertTrue(r.rawEncrypt() > 0 && r.streamEncrypt() > 0, r.toString());
  }

  @Test
  void theTinkKernelsSayWhyTheyCannotRun() throws Exception {
    try (CryptoThroughput t =
        new CryptoThroughput(CryptoProviders.jdk(), DATA, new WithoutTink())) {
      assertFalse(t.hasTink());
      IllegalStateException e = assertThrows(IllegalStateException.class, t::tinkDecrypt);
      assertEquals(TinkBaseline.UNAVAILABLE, e.getMessage());
      assertTrue(t.streamDecrypt() != 0, "the other kernels still run");
    }
  }
}
