package org.ppml.kms.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.bc.BouncyCastleProviderSingleton;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.ppml.attestation.policy.AttestedClaims;
import org.ppml.kms.cache.TextKeyedCache;

/**
 * Verifies attestation tokens presented as bearer tokens, in named steps: parse, signature, issuer,
 * lifetime, TEE key binding, claims. A failure names its step.
 */
public final class AttestationTokenVerifier {
  /** The longest token text accepted. */
  public static final int MAX_TOKEN = 16 * 1024;

  private final ECDSAVerifier verifier;
  // Verified tokens by their exact text: a client presents the same token for every release, and
  // any change to the text misses the cache and goes through every step. Expiry is still checked
  // on each use.
  private final TextKeyedCache<AttestationToken> verified = new TextKeyedCache<>(10_000);

  public AttestationTokenVerifier(TokenSigningKey key) {
    try {
      this.verifier = new ECDSAVerifier(key.publicKey());
      this.verifier.getJCAContext().setProvider(BouncyCastleProviderSingleton.getInstance());
    } catch (JOSEException e) {
      throw new IllegalStateException("token key is not a P-256 key", e);
    }
  }

  /** The verified token. */
  public AttestationToken verify(String compact, Instant now) throws TokenRejectedException {
    if (compact == null) {
      return verifyUncached(null, now);
    }
    AttestationToken token = verified.get(compact, text -> verifyUncached(text, now));
    if (!now.isBefore(token.expiresAt())) {
      throw new TokenRejectedException(
          "lifetime", "token expired at " + token.expiresAt() + "; attest again");
    }
    return token;
  }

  private AttestationToken verifyUncached(String compact, Instant now)
      throws TokenRejectedException {
    SignedJWT jwt = parse(compact);
    checkSignature(jwt);
    JWTClaimsSet claims = readClaims(jwt);
    checkIssuer(claims);
    checkLifetime(claims, now);
    JWK teeKey = checkTeeKeyBinding(claims);
    AttestedClaims attested = readAttestedClaims(claims);
    return new AttestationToken(
        claims.getJWTID(),
        attested,
        teeKey,
        String.valueOf(((Map<?, ?>) claims.getClaim(TokenClaims.CNF)).get(TokenClaims.JKT)),
        claims.getIssueTime().toInstant(),
        claims.getExpirationTime().toInstant());
  }

  private static SignedJWT parse(String compact) throws TokenRejectedException {
    if (compact == null || compact.isEmpty() || compact.length() > MAX_TOKEN) {
      throw new TokenRejectedException("parse", "token missing or longer than " + MAX_TOKEN);
    }
    try {
      SignedJWT jwt = SignedJWT.parse(compact);
      if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm())) {
        throw new TokenRejectedException("parse", "token algorithm is not ES256");
      }
      return jwt;
    } catch (ParseException e) {
      throw new TokenRejectedException("parse", "token is not a signed JWT");
    }
  }

  private void checkSignature(SignedJWT jwt) throws TokenRejectedException {
    try {
      if (!jwt.verify(verifier)) {
        throw new TokenRejectedException("signature", "token signature does not verify");
      }
    } catch (JOSEException e) {
      throw new TokenRejectedException("signature", "token signature does not verify");
    }
  }

  private static JWTClaimsSet readClaims(SignedJWT jwt) throws TokenRejectedException {
    try {
      return jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new TokenRejectedException("claims", "token claims are not a JSON object");
    }
  }

  private static void checkIssuer(JWTClaimsSet c) throws TokenRejectedException {
    if (!TokenClaims.ISSUER.equals(c.getIssuer()) || c.getJWTID() == null) {
      throw new TokenRejectedException("issuer", "token was not issued by this broker");
    }
  }

  private static void checkLifetime(JWTClaimsSet c, Instant now) throws TokenRejectedException {
    Date exp = c.getExpirationTime();
    Date iat = c.getIssueTime();
    if (exp == null || iat == null) {
      throw new TokenRejectedException("lifetime", "token has no issue or expiry time");
    }
    if (!now.isBefore(exp.toInstant())) {
      throw new TokenRejectedException(
          "lifetime", "token expired at " + exp.toInstant() + "; attest again");
    }
    Date nbf = c.getNotBeforeTime();
    if (nbf != null && now.plusSeconds(60).isBefore(nbf.toInstant())) {
      throw new TokenRejectedException("lifetime", "token is not valid yet");
    }
  }

  private static JWK checkTeeKeyBinding(JWTClaimsSet c) throws TokenRejectedException {
    try {
      Map<String, Object> jwk = c.getJSONObjectClaim(TokenClaims.TEE_PUBKEY);
      Map<String, Object> cnf = c.getJSONObjectClaim(TokenClaims.CNF);
      if (jwk == null || cnf == null) {
        throw new TokenRejectedException("tee-key", "token has no TEE key");
      }
      JWK key = JWK.parse(jwk);
      if (key.isPrivate() || !key.computeThumbprint().toString().equals(cnf.get(TokenClaims.JKT))) {
        throw new TokenRejectedException(
            "tee-key", "token's TEE key does not match its thumbprint");
      }
      return key;
    } catch (ParseException | JOSEException e) {
      throw new TokenRejectedException("tee-key", "token's TEE key is unreadable");
    }
  }

  private static AttestedClaims readAttestedClaims(JWTClaimsSet c) throws TokenRejectedException {
    try {
      return TokenClaims.read(c);
    } catch (ParseException e) {
      throw new TokenRejectedException("claims", "token claims are unreadable: " + e.getMessage());
    }
  }
}
