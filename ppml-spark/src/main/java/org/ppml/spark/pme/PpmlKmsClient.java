package org.ppml.spark.pme;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import javax.crypto.spec.SecretKeySpec;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.crypto.KeyAccessDeniedException;
import org.apache.parquet.crypto.keytools.KmsClient;
import org.ppml.crypto.IntegrityException;
import org.ppml.crypto.json.StrictJsonMapper;
import org.ppml.crypto.kms.DataKey;
import org.ppml.crypto.kms.Kms;
import org.ppml.crypto.kms.WrappedKey;
import org.ppml.crypto.seal.AesGcmSeal;
import org.ppml.spark.conf.PpmlConf;
import org.ppml.spark.keys.KeyReleases;

/**
 * Parquet modular encryption's {@code KmsClient} over the {@code Kms} SPI, through the same key
 * release (and cache) as whole-file encryption.
 *
 * <p>The SPI never wraps caller-supplied bytes: primary keys only wrap data keys they generate. So
 * a Parquet key (a KEK, or a column/footer key without double wrapping) is sealed by a fresh PPML
 * data key under the master key ({@link AesGcmSeal}: AES-256-GCM through the self-tested provider,
 * a random nonce, and {@code "ppml-pme-v1:" + master key name} as associated data), and the wrapped
 * data key travels beside it. Unwrapping releases that data key the normal way, so it needs
 * attestation wherever a file's data key would.
 *
 * <p>The wrapped form is JSON: {@code
 * {"v":1,"keyVersion":N,"wrappedKey":b64,"nonce":b64,"sealed":b64}}.
 */
public final class PpmlKmsClient implements KmsClient {
  private static final int FORMAT_VERSION = 1;
  private static final int MAX_WRAPPED_LENGTH = 4096;
  private static final Set<String> MEMBERS =
      Set.of("v", "keyVersion", "wrappedKey", "nonce", "sealed");
  private static final ObjectMapper JSON = StrictJsonMapper.create();

  private Kms kms;
  private PpmlConf conf;

  @Override
  public void initialize(
      Configuration configuration,
      String kmsInstanceID,
      String kmsInstanceURL,
      String accessToken) {
    try {
      conf = PpmlConf.from(configuration);
      kms = KeyReleases.kms(conf);
    } catch (IOException | RuntimeException e) {
      throw new KeyAccessDeniedException(
          "cannot open the PPML KMS for Parquet encryption: " + e.getMessage(), e);
    }
  }

  @Override
  public String wrapKey(byte[] keyBytes, String masterKeyIdentifier) {
    try (DataKey sealing = kms.generateDataKey(masterKeyIdentifier)) {
      byte[] box = seal(sealing, keyBytes, masterKeyIdentifier);
      byte[] nonce = Arrays.copyOf(box, AesGcmSeal.NONCE_LENGTH);
      byte[] sealed = Arrays.copyOfRange(box, AesGcmSeal.NONCE_LENGTH, box.length);
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
      json = checkShape(JSON.readTree(wrappedKey));
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
                  kms.reference(), wrapped, "Parquet key under '" + masterKeyIdentifier + "'")) {
        return open(sealing, decode(json, "nonce"), decode(json, "sealed"), masterKeyIdentifier);
      }
    } catch (AEADBadTagException e) {
      // An integrity failure like a wrapped data key that does not unwrap (which the resolver
      // reports as an IntegrityException): the cause lets readers report it as one (exit 1).
      IntegrityException integrity =
          new IntegrityException(
              "Parquet key under '" + masterKeyIdentifier + "'",
              "sealed key",
              "does not authenticate (wrong key or tampered key material)",
              e);
      throw new KeyAccessDeniedException(
          "the Parquet key wrapped under '"
              + masterKeyIdentifier
              + "' does not authenticate (wrong key or tampered key material)",
          integrity);
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw new KeyAccessDeniedException(
          "cannot unwrap the Parquet key under '" + masterKeyIdentifier + "': " + e.getMessage(),
          e);
    }
  }

  /**
   * Exactly the members this class writes, {@code v} = 1 and {@code keyVersion} as JSON integers:
   * key material another writer produced, or that was edited, is refused rather than guessed at.
   */
  private static JsonNode checkShape(JsonNode json) throws IOException {
    if (json == null || !json.isObject()) {
      throw new IOException("not a PPML-wrapped Parquet key (a JSON object)");
    }
    JsonNode v = json.get("v");
    if (v == null || !v.isInt() || v.intValue() != FORMAT_VERSION) {
      throw new IOException("not a PPML-wrapped Parquet key (format version 1)");
    }
    for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!MEMBERS.contains(field)) {
        throw new IOException("wrapped Parquet key has an unknown member '" + field + "'");
      }
    }
    if (json.size() != MEMBERS.size() || !json.get("keyVersion").isInt()) {
      throw new IOException(
          "wrapped Parquet key must hold exactly " + MEMBERS + ", keyVersion an integer");
    }
    return json;
  }

  private static byte[] decode(JsonNode json, String field) {
    JsonNode v = json.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("wrapped Parquet key has no '" + field + "'");
    }
    return Base64.getDecoder().decode(v.textValue());
  }

  /** {@code nonce ‖ ciphertext ‖ tag} of {@code keyBytes} under the data key. */
  private static byte[] seal(DataKey key, byte[] keyBytes, String masterKeyIdentifier)
      throws GeneralSecurityException {
    byte[] bytes = key.keyBytes();
    try {
      return AesGcmSeal.seal(new SecretKeySpec(bytes, "AES"), keyBytes, aad(masterKeyIdentifier));
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  private static byte[] open(DataKey key, byte[] nonce, byte[] sealed, String masterKeyIdentifier)
      throws GeneralSecurityException {
    if (nonce.length != AesGcmSeal.NONCE_LENGTH) {
      throw new GeneralSecurityException("nonce must be " + AesGcmSeal.NONCE_LENGTH + " bytes");
    }
    byte[] box = Arrays.copyOf(nonce, nonce.length + sealed.length);
    System.arraycopy(sealed, 0, box, nonce.length, sealed.length);
    byte[] bytes = key.keyBytes();
    try {
      return AesGcmSeal.open(new SecretKeySpec(bytes, "AES"), box, aad(masterKeyIdentifier));
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  private static byte[] aad(String masterKeyIdentifier) {
    return ("ppml-pme-v1:" + masterKeyIdentifier).getBytes(StandardCharsets.UTF_8);
  }
}
