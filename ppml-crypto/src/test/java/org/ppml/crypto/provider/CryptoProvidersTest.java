package org.ppml.crypto.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
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
  void aCandidateThatFailsTheSelfTestIsRefusedForTheJdkWithAWarning() {
    // System.Logger goes to java.util.logging here (no other LoggerFinder on this class path).
    Logger log = Logger.getLogger(CryptoProviders.class.getName());
    List<LogRecord> records = new ArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    log.addHandler(capture);
    try {
      CorruptingGcmProvider broken = new CorruptingGcmProvider();
      assertEquals(
          "encryption known-answer mismatch",
          AesGcmSelfTest.run(new CryptoProvider(CryptoProvider.Kind.ACCP, broken)),
          "the provider is really broken");

      ProviderSelection s = CryptoProviders.selectAuto(broken);

      assertEquals(CryptoProvider.Kind.JDK, s.provider().kind());
      assertEquals("SunJCE", s.provider().jcaProvider().getName());
      assertTrue(s.reason().contains("self-test failed"), s.reason());
      assertTrue(s.reason().contains("known-answer mismatch"), s.reason());
      List<LogRecord> warnings =
          records.stream().filter(r -> r.getLevel() == Level.WARNING).toList();
      assertEquals(1, warnings.size(), "one warning: " + records);
      assertTrue(warnings.get(0).getMessage().contains("self-test"), warnings.get(0).getMessage());
      assertEquals("encryption known-answer mismatch", warnings.get(0).getParameters()[0]);
    } finally {
      log.removeHandler(capture);
    }
  }

  @Test
  void aCandidateThatPassesTheSelfTestIsChosen() {
    // The same seam with a sound provider: the fallback above is the self-test's doing.
    ProviderSelection s = CryptoProviders.selectAuto(java.security.Security.getProvider("SunJCE"));
    assertEquals(CryptoProvider.Kind.ACCP, s.provider().kind(), "the candidate stands in for ACCP");
    assertEquals("ACCP loaded and passed the self-test", s.reason());
  }

  @Test
  void modesCanBeForcedAndTyposAreRejected() {
    assertEquals(CryptoProvider.Kind.JDK, CryptoProviders.select("jdk").provider().kind());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CryptoProviders.select("fast"));
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
