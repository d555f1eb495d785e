package org.ppml.spark.pme;

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

/**
 * Parquet's {@code PropertiesDrivenCryptoFactory}, with one difference on reads: a file whose key
 * metadata is a bare key id (written with explicit keys by parquet-cpp, pyarrow or parquet-java
 * without a KMS) is refused with an error that says so, instead of a JSON parse error.
 *
 * <p>Such files cannot be read through the {@code Kms} SPI at all: their key ids name raw AES
 * keys, and the SPI never releases primary key material, only data keys it wrapped.
 */
public final class PpmlCryptoFactory implements EncryptionPropertiesFactory, DecryptionPropertiesFactory {
  private final PropertiesDrivenCryptoFactory delegate = new PropertiesDrivenCryptoFactory();

  @Override
  public FileEncryptionProperties getFileEncryptionProperties(
      Configuration conf, Path path, WriteSupport.WriteContext context) {
    return delegate.getFileEncryptionProperties(conf, path, context);
  }

  @Override
  public FileDecryptionProperties getFileDecryptionProperties(Configuration conf, Path path) {
    DecryptionKeyRetriever keys = delegate.getFileDecryptionProperties(conf, path).getKeyRetriever();
    // As the delegate builds them: plaintext (unencrypted) Parquet files stay readable.
    return FileDecryptionProperties.builder()
        .withKeyRetriever(metadata -> {
          if (!isKeyMaterial(metadata)) {
            throw new KeyAccessDeniedException(path + " names the explicit key id '" + printable(metadata)
                + "', not KMS-wrapped key material: it was written with explicit keys by another tool, and the PPML KMS "
                + "releases only keys it wrapped. Rewrite it with format(\"ppml\").option(\"encryption\", \"pme\").");
          }
          return keys.getKey(metadata);
        })
        .withPlaintextFilesAllowed()
        .build();
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

  private static String printable(byte[] metadata) {
    String s = new String(metadata, 0, Math.min(metadata.length, 64), StandardCharsets.UTF_8);
    return s.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
