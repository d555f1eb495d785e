package org.ppml.kms.release;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEEncrypter;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.crypto.bc.BouncyCastleProviderSingleton;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Encrypts a released secret to the enclave's TEE key as a flattened JWE (RFC 7516 §7.2.2):
 * ECDH-ES+A256KW for P-256 keys, RSA-OAEP-256 for RSA keys, content A256GCM, with protected headers
 * whose bytes the reference KBS client rebuilds identically ({@link ProtectedHeaders}). Only the
 * holder of the TEE private key, which never leaves the enclave, can read it.
 *
 * <p>For P-256 keys the ECDH agreement is made once per TEE key and reused for at most {@code
 * sessionLifetime} (see {@link EcdhSessionEncrypter} for why that is sound); a cached token client
 * that unwraps many data keys then pays for AES only.
 */
public final class ResponseEncrypter {
  private static final int MAX_SESSIONS = 10_000;

  private record Session(EcdhSessionEncrypter encrypter, Instant expires) {}

  private final Duration sessionLifetime;
  private final Clock clock;
  private final Map<String, Session> sessions =
      new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Session> eldest) {
          return size() > MAX_SESSIONS;
        }
      };

  /** Reuses an agreement per TEE key for at most {@code sessionLifetime}, by {@code clock}. */
  public ResponseEncrypter(Duration sessionLifetime, Clock clock) {
    this.sessionLifetime = sessionLifetime;
    this.clock = clock;
  }

  /**
   * The flattened JWE JSON object for {@code secret} encrypted to {@code teeKey}.
   *
   * @param teeKeyThumbprint the RFC 7638 thumbprint of {@code teeKey}, which the token verifier
   *     already checked; it keys the agreement cache without hashing the key again per release
   */
  public Map<String, Object> encrypt(byte[] secret, JWK teeKey, String teeKeyThumbprint) {
    try {
      JWEHeader header;
      JWEEncrypter encrypter;
      if (teeKey instanceof ECKey ec) {
        EcdhSessionEncrypter session = session(ec, teeKeyThumbprint);
        header = session.header();
        encrypter = session;
      } else if (teeKey instanceof RSAKey rsa) {
        header = ProtectedHeaders.parse(ProtectedHeaders.RSA_OAEP_256);
        encrypter = new RSAEncrypter(rsa);
      } else {
        throw new IllegalArgumentException("TEE key type not supported");
      }
      JWEObject compact = new JWEObject(header, new Payload(secret));
      compact.encrypt(encrypter);
      return flattened(compact);
    } catch (JOSEException e) {
      throw new IllegalStateException("JWE encryption failed: " + e.getClass().getSimpleName());
    }
  }

  /**
   * The flattened JSON serialisation (RFC 7516 §7.2.2) with the members Trustee sends, in its
   * order: {@code protected}, {@code encrypted_key}, {@code iv}, {@code ciphertext}, {@code tag};
   * no {@code aad} and no unprotected header.
   */
  private static Map<String, Object> flattened(JWEObject jwe) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("protected", jwe.getHeader().toBase64URL().toString());
    out.put("encrypted_key", jwe.getEncryptedKey().toString());
    out.put("iv", jwe.getIV().toString());
    out.put("ciphertext", jwe.getCipherText().toString());
    out.put("tag", jwe.getAuthTag().toString());
    return out;
  }

  private EcdhSessionEncrypter session(ECKey teeKey, String thumbprint) throws JOSEException {
    Instant now = clock.instant();
    synchronized (sessions) {
      Session s = sessions.get(thumbprint);
      if (s != null && now.isBefore(s.expires())) {
        return s.encrypter();
      }
    }
    // Bouncy Castle's P-256 is several times faster than the JDK's for the key pair and the
    // agreement. Two racing first requests may both agree; the later one simply wins the slot.
    EcdhSessionEncrypter fresh =
        EcdhSessionEncrypter.open(teeKey, BouncyCastleProviderSingleton.getInstance());
    synchronized (sessions) {
      // An ended session's shared secret has no further use; dropping ended ones here (once
      // per new TEE key, not per release) keeps no secret on the heap past its lifetime for
      // longer than the next agreement.
      sessions.values().removeIf(ended -> !now.isBefore(ended.expires()));
      sessions.put(thumbprint, new Session(fresh, now.plus(sessionLifetime)));
    }
    return fresh;
  }

  /** How many agreements are held, for tests. */
  int sessionCount() {
    synchronized (sessions) {
      return sessions.size();
    }
  }
}
