package org.ppml.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.attestation.collateral.TcbStatus;
import org.ppml.attestation.policy.AttestedClaims;
import org.ppml.attestation.quote.TeeType;
import org.ppml.kms.attest.NonceStore;
import org.ppml.kms.store.MasterKey;
import org.ppml.kms.store.SealedSettings;
import org.ppml.kms.store.SqliteStore;
import org.ppml.kms.token.AttestationToken;
import org.ppml.kms.token.AttestationTokenIssuer;
import org.ppml.kms.token.AttestationTokenVerifier;
import org.ppml.kms.token.TokenRejectedException;
import org.ppml.kms.token.TokenSigningKey;

/** Nonce expiry and token expiry, at chosen instants instead of waiting minutes. */
class NonceAndTokenLifetimeTest {
  @TempDir Path tmp;

  @Test
  void nonceIsSingleUseAndExpiresAfterFiveMinutes() throws Exception {
    try (SqliteStore store = SqliteStore.open(tmp)) {
      NonceStore nonces = new NonceStore(store);
      Instant now = Instant.now();
      String fresh = nonces.issue("s1", now);
      assertTrue(nonces.consume("s1", fresh, now.plusSeconds(299)));
      assertFalse(nonces.consume("s1", fresh, now.plusSeconds(300)), "replayed");
      String old = nonces.issue("s1", now);
      assertFalse(nonces.consume("s1", old, now.plus(NonceStore.LIFETIME)), "expired");
      String other = nonces.issue("s2", now);
      assertFalse(nonces.consume("s1", other, now), "another session's nonce");
      assertFalse(nonces.consume("s2", other, now), "burnt by the wrong session");
      assertEquals("ok", store.integrityCheck());
    }
  }

  @Test
  void tokenIsRejectedOnceExpired() throws Exception {
    try (SqliteStore store = SqliteStore.open(tmp)) {
      MasterKey master = MasterKey.load(null, tmp.resolve("master.key"));
      TokenSigningKey key = TokenSigningKey.loadOrCreate(new SealedSettings(store, master));
      AttestationTokenIssuer issuer = new AttestationTokenIssuer(key, Duration.ofMinutes(10));
      AttestationTokenVerifier verifier = new AttestationTokenVerifier(key);
      var tee = new ECKeyGenerator(Curve.P_256).generate().toPublicJWK();
      AttestedClaims claims =
          new AttestedClaims(
              true,
              null,
              true,
              TeeType.SGX,
              true,
              TcbStatus.UpToDate,
              List.of(),
              17,
              new byte[32],
              new byte[32],
              0,
              0,
              null,
              null);
      AttestationToken token = issuer.issue(claims, tee, tee.computeThumbprint().toString());
      String jwt = issuer.sign(token);
      AttestationToken back = verifier.verify(jwt, Instant.now());
      assertEquals(TcbStatus.UpToDate, back.claims().tcbStatus());
      assertTrue(back.claims().simulated());
      TokenRejectedException e =
          assertThrows(
              TokenRejectedException.class,
              () ->
                  verifier.verify(jwt, Instant.now().plus(Duration.ofMinutes(10)).plusSeconds(1)));
      assertEquals("lifetime", e.step());
      // Another broker's key does not verify this broker's tokens.
      try (SqliteStore other = SqliteStore.open(tmp.resolve("other"))) {
        TokenSigningKey otherKey = TokenSigningKey.loadOrCreate(new SealedSettings(other, master));
        TokenRejectedException sig =
            assertThrows(
                TokenRejectedException.class,
                () -> new AttestationTokenVerifier(otherKey).verify(jwt, Instant.now()));
        assertEquals("signature", sig.step());
      }
    }
  }
}
