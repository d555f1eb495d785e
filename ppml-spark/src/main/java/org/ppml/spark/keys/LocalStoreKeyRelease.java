package org.ppml.spark.keys;

import java.io.IOException;
import java.util.Objects;
import org.ppml.crypto.envelope.EnvelopeHeader;
import org.ppml.crypto.envelope.KmsKeyResolver;
import org.ppml.crypto.kms.DataKey;
import org.ppml.crypto.kms.Kms;
import org.ppml.crypto.kms.WrappedKey;

/**
 * Dev-mode release straight from a {@link Kms} opened in this JVM (a {@code local:} key store).
 * There is no attestation: whoever can read the store and its key file gets every key, which is
 * why production mode refuses it.
 */
public final class LocalStoreKeyRelease implements KeyRelease {
  private final Kms kms;
  private final KmsKeyResolver resolver;

  public LocalStoreKeyRelease(Kms kms) {
    this.kms = Objects.requireNonNull(kms);
    this.resolver = new KmsKeyResolver(kms);
  }

  @Override
  public String kmsReference() {
    return kms.reference();
  }

  @Override
  public DataKey resolve(EnvelopeHeader header, String source) throws IOException {
    return resolver.resolve(header, source);
  }

  @Override
  public WrappedKey newWrappedDataKey(String keyName) throws IOException {
    return kms.generateWrappedDataKey(keyName);
  }

  @Override
  public DataKey newDataKey(String keyName) throws IOException {
    return kms.generateDataKey(keyName);
  }

  @Override
  public void close() throws IOException {
    kms.close();
  }

  @Override
  public String toString() {
    return "LocalStoreKeyRelease[" + kms.reference() + "]";
  }
}
