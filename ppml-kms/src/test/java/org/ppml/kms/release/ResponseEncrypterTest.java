package org.ppml.kms.release;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEObjectJSON;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.RSADecrypter;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The broker's responses decrypt with an unmodified RFC 7518 decrypter (nimbus's own), whether or
 * not the agreement was reused, and a reused agreement never outlives its session or crosses TEE
 * keys.
 */
class ResponseEncrypterTest {
  private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();

  /** A clock the test moves. */
  private static final class MovableClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static byte[] decrypt(Map<String, Object> jwe, ECKey key) throws Exception {
    JWEObjectJSON o = JWEObjectJSON.parse(jwe);
    o.decrypt(new ECDHDecrypter(key));
    return o.getPayload().toBytes();
  }

  private static Object epk(Map<String, Object> jwe) throws Exception {
    return JWEObjectJSON.parse(jwe).getHeader().getEphemeralPublicKey();
  }

  @Test
  void aSessionReusesItsAgreementAndEveryResponseStillDecrypts() throws Exception {
    MovableClock clock = new MovableClock();
    ResponseEncrypter e = new ResponseEncrypter(Duration.ofMinutes(10), clock);
    ECKey tee = new ECKeyGenerator(Curve.P_256).generate();
    Map<String, Object> first =
        e.encrypt(SECRET, tee.toPublicJWK(), tee.computeThumbprint().toString());
    Map<String, Object> second =
        e.encrypt(SECRET, tee.toPublicJWK(), tee.computeThumbprint().toString());
    assertEquals(epk(first), epk(second));
    // Same agreement, yet each response has its own content key and IV.
    assertNotEquals(first.get("encrypted_key"), second.get("encrypted_key"));
    assertNotEquals(first.get("iv"), second.get("iv"));
    assertArrayEquals(SECRET, decrypt(first, tee));
    assertArrayEquals(SECRET, decrypt(second, tee));
  }

  @Test
  void theAgreementEndsWithTheSession() throws Exception {
    MovableClock clock = new MovableClock();
    ResponseEncrypter e = new ResponseEncrypter(Duration.ofMinutes(10), clock);
    ECKey tee = new ECKeyGenerator(Curve.P_256).generate();
    Map<String, Object> before =
        e.encrypt(SECRET, tee.toPublicJWK(), tee.computeThumbprint().toString());
    clock.now = clock.now.plus(Duration.ofMinutes(10));
    Map<String, Object> after =
        e.encrypt(SECRET, tee.toPublicJWK(), tee.computeThumbprint().toString());
    assertNotEquals(epk(before), epk(after));
    assertArrayEquals(SECRET, decrypt(after, tee));
  }

  @Test
  void endedAgreementsAreDroppedWhenTheNextOneIsMade() throws Exception {
    MovableClock clock = new MovableClock();
    ResponseEncrypter e = new ResponseEncrypter(Duration.ofMinutes(10), clock);
    for (int i = 0; i < 3; i++) {
      ECKey tee = new ECKeyGenerator(Curve.P_256).generate();
      e.encrypt(SECRET, tee.toPublicJWK(), tee.computeThumbprint().toString());
    }
    assertEquals(3, e.sessionCount());
    clock.now = clock.now.plus(Duration.ofMinutes(10));
    ECKey next = new ECKeyGenerator(Curve.P_256).generate();
    e.encrypt(SECRET, next.toPublicJWK(), next.computeThumbprint().toString());
    assertEquals(1, e.sessionCount(), "only the live agreement is held");
  }

  @Test
  void anotherTeeKeyGetsItsOwnAgreement() throws Exception {
    ResponseEncrypter e = new ResponseEncrypter(Duration.ofMinutes(10), new MovableClock());
    ECKey a = new ECKeyGenerator(Curve.P_256).generate();
    ECKey b = new ECKeyGenerator(Curve.P_256).generate();
    Map<String, Object> toA = e.encrypt(SECRET, a.toPublicJWK(), a.computeThumbprint().toString());
    Map<String, Object> toB = e.encrypt(SECRET, b.toPublicJWK(), b.computeThumbprint().toString());
    assertNotEquals(epk(toA), epk(toB));
    assertArrayEquals(SECRET, decrypt(toB, b));
    assertThrows(JOSEException.class, () -> decrypt(toA, b));
  }

  @Test
  void rsaTeeKeysGetRsaOaep() throws Exception {
    ResponseEncrypter e = new ResponseEncrypter(Duration.ofMinutes(10), new MovableClock());
    RSAKey tee = new RSAKeyGenerator(2048).generate();
    JWEObjectJSON o =
        JWEObjectJSON.parse(
            e.encrypt(SECRET, tee.toPublicJWK(), tee.computeThumbprint().toString()));
    assertEquals("RSA-OAEP-256", o.getHeader().getAlgorithm().getName());
    o.decrypt(new RSADecrypter(tee));
    assertArrayEquals(SECRET, o.getPayload().toBytes());
  }
}
