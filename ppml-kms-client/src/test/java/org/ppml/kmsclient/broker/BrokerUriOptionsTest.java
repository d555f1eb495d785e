package org.ppml.kmsclient.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.attestation.simulated.DevHome;
import org.ppml.crypto.kms.KmsCredentials;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.KmsException.Reason;
import org.ppml.crypto.kms.KmsRegistry;

/** The URI grammar both broker backends share, and how each backend narrows it. */
class BrokerUriOptionsTest {
  private static final String PIN = "ab".repeat(32);

  private static KmsException refused(String uri) {
    KmsException e =
        assertThrows(
            KmsException.class, () -> KmsRegistry.open(uri, KmsCredentials.of(null, null)));
    assertEquals(Reason.INVALID_ARGUMENT, e.reason(), e.getMessage());
    return e;
  }

  @Test
  void referenceAndBaseUrlDropTheQuery() throws Exception {
    BrokerUriOptions o =
        BrokerUriOptions.parse(
            "kbs+https://kbs.example:8080?tlsSha256=" + PIN + "&timeoutSeconds=5",
            KbsKms.SCHEME,
            Set.of());
    assertEquals("kbs+https://kbs.example:8080", o.reference());
    assertEquals("https://kbs.example:8080", o.baseUrl().toString());
    assertEquals(Duration.ofSeconds(5), o.timeout());
    assertNull(o.evidence(), "no provider: this process cannot attest");
    o.tls();
  }

  @Test
  void anUnknownParameterIsRefusedByName() {
    KmsException e = refused("kbs+https://127.0.0.1:8080?tlsSha256=" + PIN + "&tlsSha265=" + PIN);
    assertTrue(e.getMessage().contains("'tlsSha265'"), e.getMessage());
    // The token files are ppml+https's own; a KBS has no tokens of ours.
    KmsException token =
        refused("kbs+https://127.0.0.1:8080?tlsSha256=" + PIN + "&adminTokenFile=/x");
    assertTrue(token.getMessage().contains("adminTokenFile"), token.getMessage());
    KmsException ppml = refused("ppml+https://127.0.0.1:8080?tlsSha256=" + PIN + "&pin=" + PIN);
    assertTrue(ppml.getMessage().contains("unknown ppml+https parameter 'pin'"), ppml.getMessage());
  }

  @Test
  void aMissingOrMalformedPinIsRefused() {
    for (String scheme : new String[] {"kbs+https", "ppml+https"}) {
      KmsException none = refused(scheme + "://127.0.0.1:8080");
      assertTrue(none.getMessage().contains("tlsSha256=HEX or tlsCa=PEM"), none.getMessage());
      KmsException shortPin = refused(scheme + "://127.0.0.1:8080?tlsSha256=abcd");
      assertTrue(shortPin.getMessage().contains("32 bytes of hex"), shortPin.getMessage());
      KmsException both = refused(scheme + "://127.0.0.1:8080?tlsSha256=" + PIN + "&tlsCa=/ca.pem");
      assertTrue(both.getMessage().contains("not both"), both.getMessage());
    }
  }

  @Test
  void theUriMustBeJustHostPortAndQuery() {
    for (String bad :
        new String[] {
          "kbs+https://127.0.0.1?tlsSha256=",
          "kbs+https:///x?tlsSha256=",
          "kbs+https://user@127.0.0.1:8080?tlsSha256=",
          "kbs+https://127.0.0.1:8080/kbs/v0?tlsSha256=",
          "kbs+https://127.0.0.1:8080#frag?tlsSha256=",
          "kbs+https://127.0.0.1:8080 ?tlsSha256="
        }) {
      refused(bad + PIN);
    }
  }

  @Test
  void repeatsAreFineButConflictsAreNot() throws Exception {
    BrokerUriOptions.parse(
        "kbs+https://h:1?tlsSha256=" + PIN + "&tlsSha256=" + PIN, KbsKms.SCHEME, Set.of());
    KmsException e = refused("kbs+https://h:1?tlsSha256=" + PIN + "&tlsSha256=" + "cd".repeat(32));
    assertTrue(e.getMessage().contains("twice"), e.getMessage());
  }

  @Test
  void timeoutAndDevAreStrict() {
    for (String t : new String[] {"abc", "0", "-5", "99999"}) {
      KmsException e = refused("kbs+https://h:1?tlsSha256=" + PIN + "&timeoutSeconds=" + t);
      assertTrue(e.getMessage().contains("timeoutSeconds"), e.getMessage());
    }
    KmsException dev = refused("kbs+https://h:1?tlsSha256=" + PIN + "&provider=simulated&dev=yes");
    assertTrue(dev.getMessage().contains("dev must be true or false"), dev.getMessage());
  }

  @Test
  void simulatedEvidenceNeedsDevMode(@TempDir Path dir) throws Exception {
    DevHome home = DevHome.init(dir.resolve("dev"), Instant.now());
    String base =
        "kbs+https://h:1?tlsSha256=" + PIN + "&provider=simulated&devHome=" + home.directory();
    KmsException notDev = refused(base);
    assertTrue(notDev.getMessage().contains("development only"), notDev.getMessage());
    KmsException pinnedMeasurement = refused(base + "&mrEnclave=" + "aa".repeat(32));
    assertTrue(pinnedMeasurement.getMessage().contains("dev=true"), pinnedMeasurement.getMessage());
    KmsException noProvider =
        refused("kbs+https://h:1?tlsSha256=" + PIN + "&mrEnclave=" + "aa".repeat(32));
    assertTrue(
        noProvider.getMessage().contains("provider=simulated only"), noProvider.getMessage());
    assertEquals(
        "simulated",
        BrokerUriOptions.parse(base + "&dev=true", KbsKms.SCHEME, Set.of()).evidence().name());
  }
}
