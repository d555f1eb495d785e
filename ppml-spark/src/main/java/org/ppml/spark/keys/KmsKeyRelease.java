package org.ppml.spark.keys;

import java.io.IOException;
import java.util.Objects;
import org.ppml.crypto.envelope.KmsKeyResolver;
import org.ppml.crypto.kms.DataKey;
import org.ppml.crypto.kms.ExplicitKeySource;
import org.ppml.crypto.kms.Kms;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.WrappedKey;

/**
 * Release through a {@link Kms} opened in this JVM. With the key broker ({@code ppml+https}) every
 * release is attested: the broker client attests this JVM once per token and receives each data key
 * encrypted to its ephemeral key. With a {@code local:} store (dev mode) there is no attestation:
 * whoever can read the store and its key file gets every key, which is why production mode refuses
 * it ({@link KeyReleases#checkAllowed}).
 */
public final class KmsKeyRelease implements KeyRelease {
  private final Kms kms;
  private final KmsKeyResolver resolver;

  public KmsKeyRelease(Kms kms) {
    this.kms = Objects.requireNonNull(kms);
    this.resolver = new KmsKeyResolver(kms);
  }

  @Override
  public String kmsReference() {
    return kms.reference();
  }

  @Override
  public DataKey resolve(String kmsReference, WrappedKey wrapped, String source)
      throws IOException {
    return resolver.resolve(kmsReference, wrapped, source);
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
  public byte[] explicitKey(String keyId) throws IOException {
    if (!(kms instanceof ExplicitKeySource source)) {
      throw new KmsException(
          KmsException.Reason.DENIED,
          "the KMS "
              + kms.reference()
              + " does not release explicit keys by id; only data keys it wrapped");
    }
    return source.explicitKey(keyId);
  }

  @Override
  public void close() throws IOException {
    kms.close();
  }

  @Override
  public String toString() {
    return "KmsKeyRelease[" + kms.reference() + "]";
  }
}
