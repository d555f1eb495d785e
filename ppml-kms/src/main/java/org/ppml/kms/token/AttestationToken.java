package org.ppml.kms.token;

import com.nimbusds.jose.jwk.JWK;
import java.time.Instant;
import org.ppml.attestation.policy.AttestedClaims;

/**
 * A verified attestation token: the claims the broker established at attest time, the TEE public
 * key that responses must be encrypted to, and when the token stops being accepted.
 *
 * @param id the token id ({@code jti})
 * @param claims the attested identity
 * @param teePublicKey the public {@code tee-pubkey} from the attested runtime data
 * @param teeKeyThumbprint its RFC 7638 SHA-256 thumbprint, base64url
 * @param issuedAt when it was issued
 * @param expiresAt when it expires
 */
public record AttestationToken(
    String id,
    AttestedClaims claims,
    JWK teePublicKey,
    String teeKeyThumbprint,
    Instant issuedAt,
    Instant expiresAt) {}
