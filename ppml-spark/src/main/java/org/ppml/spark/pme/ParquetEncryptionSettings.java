package org.ppml.spark.pme;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Hadoop settings that turn on Parquet modular encryption with {@link PpmlKmsClient}, from the
 * {@code format("ppml")} options {@code columnKeys} ({@code key1:colA,colB;key2:colC}), {@code
 * footerKey}, {@code plaintextFooter}, {@code doubleWrapping} and {@code algorithm} ({@code
 * AES_GCM_V1} or {@code AES_GCM_CTR_V1}).
 */
public final class ParquetEncryptionSettings {
  /** Our option names (lower case), which are not passed to the inner format as they are. */
  public static final Set<String> OPTIONS =
      Set.of("columnkeys", "footerkey", "plaintextfooter", "doublewrapping", "algorithm");

  private static final String FACTORY = PpmlCryptoFactory.class.getName();
  private static final Set<String> ALGORITHMS = Set.of("AES_GCM_V1", "AES_GCM_CTR_V1");

  private ParquetEncryptionSettings() {}

  /**
   * The settings for a PME read or write.
   *
   * @param options our PME options, keys in lower case
   * @param defaultFooterKey the footer key when {@code footerKey} is not given ({@code
   *     spark.ppml.key})
   * @param kmsIdentity the KMS the keys are wrapped by, as {@code PpmlConf.kmsIdentity()} names it
   * @throws IllegalArgumentException on a bad algorithm or a write with no footer key
   */
  public static Map<String, String> of(
      Map<String, String> options, String defaultFooterKey, String kmsIdentity) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("parquet.crypto.factory.class", FACTORY);
    out.put("parquet.encryption.kms.client.class", PpmlKmsClient.class.getName());
    // Parquet caches, per JVM, one initialised KmsClient per (access token, KMS instance id) and
    // unwrapped KEKs per access token, both "DEFAULT" unless set. Without these two, a read
    // configured with a second KMS would be served by the client, or the cached KEKs, of the
    // first. Neither is a credential here (PpmlKmsClient ignores both), only the caches'
    // partition: a digest of the KMS identity (URL and key file), because Parquet writes the
    // instance id into each file's
    // key material and logs a snippet of the token, and neither should carry hosts or paths.
    String partition = cachePartition(kmsIdentity);
    out.put("parquet.encryption.kms.instance.id", partition);
    out.put("parquet.encryption.key.access.token", partition);
    String footerKey = options.getOrDefault("footerkey", defaultFooterKey);
    String columnKeys = options.get("columnkeys");
    if (footerKey != null) {
      if (columnKeys == null) {
        out.put("parquet.encryption.uniform.key", footerKey);
      } else {
        out.put("parquet.encryption.footer.key", footerKey);
        out.put("parquet.encryption.column.keys", columnKeys);
      }
    }
    copyBoolean(options, "plaintextfooter", "parquet.encryption.plaintext.footer", out);
    copyBoolean(options, "doublewrapping", "parquet.encryption.double.wrapping", out);
    String algorithm = options.get("algorithm");
    if (algorithm != null) {
      String a = algorithm.trim().toUpperCase(Locale.ROOT);
      if (!ALGORITHMS.contains(a)) {
        throw new IllegalArgumentException(
            "option algorithm must be AES_GCM_V1 or AES_GCM_CTR_V1, not '" + algorithm + "'");
      }
      out.put("parquet.encryption.algorithm", a);
    }
    return out;
  }

  private static String cachePartition(String kmsIdentity) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(kmsIdentity.getBytes(StandardCharsets.UTF_8));
      return "ppml-" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  private static void copyBoolean(
      Map<String, String> options, String option, String property, Map<String, String> out) {
    String v = options.get(option);
    if (v != null) {
      if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
        throw new IllegalArgumentException(
            "option " + option + " must be true or false, not '" + v + "'");
      }
      out.put(property, v.toLowerCase(Locale.ROOT));
    }
  }
}
