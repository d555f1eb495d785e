package org.ppml.crypto.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CryptoProvidersTest {
  @Test
  void jdkPassesTheSelfTest() {
    CryptoProvider jdk = CryptoProviders.jdk();
    assertEquals(CryptoProvider.Kind.JDK, jdk.kind());
    assertNull(AesGcmSelfTest.run(jdk));
  }

  @Test
  void autoPrefersAccpWhenItLoadsAndFallsBackOtherwise() {
    ProviderSelection auto = CryptoProviders.select("auto");
    if (CryptoProviders.accp().isPresent()) {
      assertEquals(CryptoProvider.Kind.ACCP, auto.provider().kind());
      assertNull(AesGcmSelfTest.run(auto.provider()));
    } else {
      assertEquals(CryptoProvider.Kind.JDK, auto.provider().kind());
      assertTrue(auto.reason().startsWith("fallback"), auto.reason());
    }
  }

  @Test
  void modesCanBeForcedAndTyposAreRejected() {
    assertEquals(CryptoProvider.Kind.JDK, CryptoProviders.select("jdk").provider().kind());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CryptoProviders.select("fast"));
    assertTrue(e.getMessage().contains("fast"));
  }

  @Test
  void accpIsAvailableOnLinuxX86() {
    // The build ships ACCP's linux-x86_64 native library; on that platform it must load.
    if (System.getProperty("os.name").toLowerCase().contains("linux")
        && System.getProperty("os.arch").matches("amd64|x86_64")) {
      assertTrue(CryptoProviders.accp().isPresent(), "ACCP should load on linux-x86_64");
    }
  }
}
