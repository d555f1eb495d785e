package org.ppml.kms.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Arrays;
import java.util.Optional;
import org.ppml.kms.store.SealedSettings;
import org.ppml.kms.store.StoreException;

/**
 * The broker's ES256 token signing key. It is generated on first start and kept sealed in the
 * database, so tokens issued before a restart still verify after it.
 */
public final class TokenSigningKey {
  private static final String SETTING = "token-signing-jwk";

  private final ECKey key;

  private TokenSigningKey(ECKey key) {
    this.key = key;
  }

  /** Loads the key from {@code settings}, creating it on first start. */
  public static TokenSigningKey loadOrCreate(SealedSettings settings) throws StoreException {
    Optional<byte[]> stored = settings.read(SETTING);
    try {
      if (stored.isPresent()) {
        byte[] json = stored.get();
        try {
          return new TokenSigningKey(ECKey.parse(new String(json, StandardCharsets.UTF_8)));
        } finally {
          Arrays.fill(json, (byte) 0);
        }
      }
      ECKey fresh =
          new ECKeyGenerator(Curve.P_256)
              .keyUse(KeyUse.SIGNATURE)
              .algorithm(JWSAlgorithm.ES256)
              .keyIDFromThumbprint(true)
              .generate();
      byte[] json = fresh.toJSONString().getBytes(StandardCharsets.UTF_8);
      // Replicas starting together on one database race here; every one signs with the key that
      // was committed first, so a token from any of them verifies on all.
      byte[] kept = settings.readOrCreate(SETTING, json);
      try {
        return new TokenSigningKey(ECKey.parse(new String(kept, StandardCharsets.UTF_8)));
      } finally {
        Arrays.fill(json, (byte) 0);
        Arrays.fill(kept, (byte) 0);
      }
    } catch (ParseException | JOSEException e) {
      throw new StoreException("token signing key unusable: " + e.getClass().getSimpleName());
    }
  }

  /** The private key, for signing. */
  ECKey privateKey() {
    return key;
  }

  /** The public half, which anyone may use to verify a token. */
  public ECKey publicKey() {
    return key.toPublicJWK();
  }

  @Override
  public String toString() {
    return "TokenSigningKey[kid=" + key.getKeyID() + "]";
  }
}
