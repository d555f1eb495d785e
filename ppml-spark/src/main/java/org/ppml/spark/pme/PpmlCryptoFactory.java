package org.ppml.spark.pme;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.crypto.DecryptionKeyRetriever;
import org.apache.parquet.crypto.DecryptionPropertiesFactory;
import org.apache.parquet.crypto.EncryptionPropertiesFactory;
import org.apache.parquet.crypto.FileDecryptionProperties;
import org.apache.parquet.crypto.FileEncryptionProperties;
import org.apache.parquet.crypto.KeyAccessDeniedException;
import org.apache.parquet.crypto.keytools.PropertiesDrivenCryptoFactory;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.ppml.spark.conf.PpmlConf;
import org.ppml.spark.keys.KeyReleases;

/**
 * Parquet's {@code PropertiesDrivenCryptoFactory}, with one addition on reads: a file whose key
 * metadata is a bare key id (written with explicit keys by parquet-cpp, pyarrow or parquet-java
 * without a KMS) has that id looked up as a key name in the configured KMS.
 *
 * <p>Such an id names a raw AES key, which the {@code Kms} SPI never releases: it unwraps only data
 * keys it wrapped. Backends that may hand out a key by id implement {@link
 * org.ppml.crypto.kms.ExplicitKeySource} (the local store, where keys are imported with {@code ppml
 * keys import}); with any other KMS the read is refused with an error naming the key id and the
 * file. A wrong key fails Parquet's GCM tag check: an error, never garbage.
 */
public final class PpmlCryptoFactory
    implements EncryptionPropertiesFactory, DecryptionPropertiesFactory {
  private static final int MAX_KEY_ID = 128;
  private final PropertiesDrivenCryptoFactory delegate = new PropertiesDrivenCryptoFactory();

  @Override
  public FileEncryptionProperties getFileEncryptionProperties(
      Configuration conf, Path path, WriteSupport.WriteContext context) {
    return delegate.getFileEncryptionProperties(conf, path, context);
  }

  @Override
  public FileDecryptionProperties getFileDecryptionProperties(Configuration conf, Path path) {
    DecryptionKeyRetriever keys =
        delegate.getFileDecryptionProperties(conf, path).getKeyRetriever();
    // As the delegate builds them: plaintext (unencrypted) Parquet files stay readable.
    return FileDecryptionProperties.builder()
        .withKeyRetriever(
            metadata -> {
              if (!isKeyMaterial(metadata)) {
                return explicitKey(conf, path, metadata);
              }
              return keys.getKey(metadata);
            })
        .withPlaintextFilesAllowed()
        .build();
  }

  private static byte[] explicitKey(Configuration conf, Path path, byte[] metadata) {
    String keyId = new String(metadata, StandardCharsets.UTF_8);
    if (metadata.length == 0 || metadata.length > MAX_KEY_ID || !isPrintableAscii(metadata)) {
      throw new KeyAccessDeniedException(
          path
              + " has key metadata that is neither KMS-wrapped key material nor a"
              + " printable key id of at most "
              + MAX_KEY_ID
              + " bytes: '"
              + printable(metadata)
              + "'");
    }
    try {
      return KeyReleases.explicitKey(PpmlConf.from(conf), keyId);
    } catch (IOException | RuntimeException e) {
      throw new KeyAccessDeniedException(
          path
              + " names the explicit key id '"
              + keyId
              + "' (written with explicit"
              + " keys by another tool), and the configured KMS cannot release it: "
              + e.getMessage()
              + ". Import that key under the name '"
              + keyId
              + "' (ppml keys import), or rewrite the file with"
              + " format(\"ppml\").option(\"encryption\", \"pme\").",
          e);
    }
  }

  // Key material written by PropertiesDrivenCryptoFactory is a JSON object.
  private static boolean isKeyMaterial(byte[] metadata) {
    for (byte b : metadata) {
      if (!Character.isWhitespace(b)) {
        return b == '{';
      }
    }
    return false;
  }

  private static boolean isPrintableAscii(byte[] metadata) {
    for (byte b : metadata) {
      if (b < 0x20 || b > 0x7e) {
        return false;
      }
    }
    return true;
  }

  private static String printable(byte[] metadata) {
    String s = new String(metadata, 0, Math.min(metadata.length, 64), StandardCharsets.UTF_8);
    return s.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
