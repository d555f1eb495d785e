package org.ppml.spark.pme;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.crypto.KeyAccessDeniedException;
import org.apache.parquet.crypto.keytools.KmsClient;
import org.ppml.crypto.kms.DataKey;
import org.ppml.crypto.kms.WrappedKey;
import org.ppml.spark.conf.PpmlConf;
import org.ppml.spark.keys.KeyRelease;
import org.ppml.spark.keys.KeyReleases;

/**
 * Parquet modular encryption's {@code KmsClient} over the {@code Kms} SPI, through the same key
 * release (and cache) as whole-file encryption.
 *
 * <p>The SPI never wraps caller-supplied bytes: primary keys only wrap data keys they generate. So
 * a Parquet key (a KEK, or a column/footer key without double wrapping) is sealed by a fresh PPML
 * data key under the master key: AES-256-GCM with a random nonce and the master key name as
 * associated data, and the wrapped data key travels beside it. Unwrapping releases that data key
 * the normal way, so it needs attestation wherever a file's data key would.
 *
 * <p>The wrapped form is JSON: {@code
 * {"v":1,"keyVersion":N,"wrappedKey":b64,"nonce":b64,"sealed":b64}}.
 */
public final class PpmlKmsClient implements KmsClient {
  private static final int FORMAT_VERSION = 1;
  private static final int NONCE_LENGTH = 12;
  private static final int MAX_WRAPPED_LENGTH = 4096;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private KeyRelease release;
  private PpmlConf conf;

  @Override
  public void initialize(
      Configuration configuration,
      String kmsInstanceID,
      String kmsInstanceURL,
      String accessToken) {
    try {
      conf = PpmlConf.from(configuration);
      release = KeyReleases.forConf(conf);
    } catch (IOException | RuntimeException e) {
      throw new KeyAccessDeniedException(
          "cannot open the PPML KMS for Parquet encryption: " + e.getMessage(), e);
    }
  }

  @Override
  public String wrapKey(byte[] keyBytes, String masterKeyIdentifier) {
    byte[] nonce = new byte[NONCE_LENGTH];
    RANDOM.nextBytes(nonce);
    try (DataKey sealing = release.newDataKey(masterKeyIdentifier)) {
      byte[] sealed =
          cipher(Cipher.ENCRYPT_MODE, sealing, nonce, masterKeyIdentifier).doFinal(keyBytes);
      ObjectNode out = JSON.createObjectNode();
      out.put("v", FORMAT_VERSION);
      out.put("keyVersion", sealing.wrapped().keyVersion());
      out.put("wrappedKey", Base64.getEncoder().encodeToString(sealing.wrapped().wrapped()));
      out.put("nonce", Base64.getEncoder().encodeToString(nonce));
      out.put("sealed", Base64.getEncoder().encodeToString(sealed));
      return JSON.writeValueAsString(out);
    } catch (IOException | GeneralSecurityException e) {
      throw new KeyAccessDeniedException(
          "cannot wrap a Parquet key under '" + masterKeyIdentifier + "': " + e.getMessage(), e);
    }
  }

  @Override
  public byte[] unwrapKey(String wrappedKey, String masterKeyIdentifier) {
    JsonNode json;
    try {
      if (wrappedKey == null || wrappedKey.length() > MAX_WRAPPED_LENGTH) {
        throw new IOException(
            "wrapped key is missing or longer than " + MAX_WRAPPED_LENGTH + " characters");
      }
      json = JSON.readTree(wrappedKey);
      if (json == null || json.path("v").asInt() != FORMAT_VERSION) {
        throw new IOException("not a PPML-wrapped Parquet key (format version 1)");
      }
    } catch (IOException e) {
      throw new KeyAccessDeniedException(
          "cannot unwrap the Parquet key under '" + masterKeyIdentifier + "': " + e.getMessage(),
          e);
    }
    try {
      WrappedKey wrapped =
          new WrappedKey(
              masterKeyIdentifier, json.path("keyVersion").asInt(), decode(json, "wrappedKey"));
      try (DataKey sealing =
          KeyReleases.resolverFor(conf)
              .resolve(
                  release.kmsReference(),
                  wrapped,
                  "Parquet key under '" + masterKeyIdentifier + "'")) {
        return cipher(Cipher.DECRYPT_MODE, sealing, decode(json, "nonce"), masterKeyIdentifier)
            .doFinal(decode(json, "sealed"));
      }
    } catch (AEADBadTagException e) {
      throw new KeyAccessDeniedException(
          "the Parquet key wrapped under '"
              + masterKeyIdentifier
              + "' does not authenticate (wrong key or tampered key material)");
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw new KeyAccessDeniedException(
          "cannot unwrap the Parquet key under '" + masterKeyIdentifier + "': " + e.getMessage(),
          e);
    }
  }

  private static byte[] decode(JsonNode json, String field) {
    JsonNode v = json.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("wrapped Parquet key has no '" + field + "'");
    }
    return Base64.getDecoder().decode(v.textValue());
  }

  private static Cipher cipher(int mode, DataKey key, byte[] nonce, String masterKeyIdentifier)
      throws GeneralSecurityException {
    if (nonce.length != NONCE_LENGTH) {
      throw new GeneralSecurityException("nonce must be " + NONCE_LENGTH + " bytes");
    }
    byte[] bytes = key.keyBytes();
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(mode, new SecretKeySpec(bytes, "AES"), new GCMParameterSpec(128, nonce));
      c.updateAAD(("ppml-pme-v1:" + masterKeyIdentifier).getBytes(StandardCharsets.UTF_8));
      return c;
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }
}
