package org.ppml.kms.release;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEEncrypter;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWEObjectJSON;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.crypto.bc.BouncyCastleProviderSingleton;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.util.Map;

/**
 * Encrypts a released secret to the enclave's TEE key as a flattened JWE (RFC 7516 §7.2.2):
 * ECDH-ES+A256KW for P-256 keys, RSA-OAEP-256 for RSA keys, content A256GCM. Only the holder of the
 * TEE private key, which never leaves the enclave, can read it.
 */
public final class ResponseEncrypter {
    /** The flattened JWE JSON object for {@code secret} encrypted to {@code teeKey}. */
    public Map<String, Object> encrypt(byte[] secret, JWK teeKey) {
        try {
            JWEAlgorithm alg;
            JWEEncrypter encrypter;
            if (teeKey instanceof ECKey ec) {
                alg = JWEAlgorithm.ECDH_ES_A256KW;
                ECDHEncrypter ecdh = new ECDHEncrypter(ec);
                // Bouncy Castle's P-256 is several times faster than the JDK's here, and every
                // release pays for one ephemeral key pair and one agreement.
                ecdh.getJCAContext().setKeyEncryptionProvider(BouncyCastleProviderSingleton.getInstance());
                encrypter = ecdh;
            } else if (teeKey instanceof RSAKey rsa) {
                alg = JWEAlgorithm.RSA_OAEP_256;
                encrypter = new RSAEncrypter(rsa);
            } else {
                throw new IllegalArgumentException("TEE key type not supported");
            }
            // Encrypt as a compact JWE, then re-serialise flattened: this keeps "epk" in the integrity-
            // protected header, where RFC 7518 puts it. JWEObjectJSON.encrypt would move it to an
            // unprotected member that nimbus itself then cannot decrypt (10.10).
            JWEObject compact = new JWEObject(new JWEHeader.Builder(alg, EncryptionMethod.A256GCM).build(),
                    new Payload(secret));
            compact.encrypt(encrypter);
            return new JWEObjectJSON(compact).toFlattenedJSONObject();
        } catch (JOSEException e) {
            throw new IllegalStateException("JWE encryption failed: " + e.getClass().getSimpleName());
        }
    }
}
