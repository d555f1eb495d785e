package org.ppml.kms.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.bc.BouncyCastleProviderSingleton;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.ppml.attestation.policy.AttestedClaims;

/**
 * Issues ES256 attestation tokens: the verified claims, the TEE key and its thumbprint, and a short
 * lifetime. A token proves only that some enclave attested; releases still evaluate each key's
 * policy against its claims and encrypt to its TEE key.
 */
public final class AttestationTokenIssuer {
  /** The default token lifetime. */
  public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(10);

  private final TokenSigningKey key;
  private final ECDSASigner signer;
  private final Duration lifetime;

  public AttestationTokenIssuer(TokenSigningKey key, Duration lifetime) {
    if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException("token lifetime must be between 1 s and 1 day");
    }
    this.key = key;
    this.lifetime = lifetime;
    try {
      this.signer = new ECDSASigner(key.privateKey());
      this.signer.getJCAContext().setProvider(BouncyCastleProviderSingleton.getInstance());
    } catch (JOSEException e) {
      throw new IllegalStateException("token signing key is not a P-256 key", e);
    }
  }

  /** The token lifetime. */
  public Duration lifetime() {
    return lifetime;
  }

  /** Signs a token for verified {@code claims} bound to {@code teeKey}. */
  public AttestationToken issue(AttestedClaims claims, JWK teeKey, String thumbprint) {
    if (!claims.verified()) {
      throw new IllegalArgumentException("only verified evidence gets a token");
    }
    Instant now = Instant.now();
    Instant expires = now.plus(lifetime);
    String id = UUID.randomUUID().toString();
    JWTClaimsSet.Builder b =
        new JWTClaimsSet.Builder()
            .issuer(TokenClaims.ISSUER)
            .jwtID(id)
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now))
            .expirationTime(Date.from(expires));
    TokenClaims.put(b, claims, teeKey, thumbprint);
    return new AttestationToken(id, claims, teeKey.toPublicJWK(), thumbprint, now, expires);
  }

  /** The compact JWS of {@code token}. */
  public String sign(AttestationToken token) {
    JWTClaimsSet.Builder b =
        new JWTClaimsSet.Builder()
            .issuer(TokenClaims.ISSUER)
            .jwtID(token.id())
            .issueTime(Date.from(token.issuedAt()))
            .notBeforeTime(Date.from(token.issuedAt()))
            .expirationTime(Date.from(token.expiresAt()));
    TokenClaims.put(b, token.claims(), token.teePublicKey(), token.teeKeyThumbprint());
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256)
                .type(JOSEObjectType.JWT)
                .keyID(key.privateKey().getKeyID())
                .build(),
            b.build());
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("ES256 signing failed", e);
    }
    return jwt.serialize();
  }
}
