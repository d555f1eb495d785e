package org.ppml.kmsclient.broker;

import java.util.List;
import org.ppml.crypto.kms.DataKey;
import org.ppml.crypto.kms.ExplicitKeySource;
import org.ppml.crypto.kms.KeyRotation;
import org.ppml.crypto.kms.Kms;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.KmsException.Reason;
import org.ppml.crypto.kms.PrimaryKeyInfo;
import org.ppml.crypto.kms.WrappedKey;

/**
 * The {@code ppml+https://host:port} backend: data keys from the PPML key broker through the
 * attested extension. Key administration ({@link KeyRotation}: create, list, rotate, disable,
 * re-wrap) goes through the admin API and needs an admin token; without one those operations fail
 * with {@code DENIED}. The broker generates all key material itself, so it does not offer {@code
 * KeyImport}.
 */
public final class PpmlBrokerKms implements Kms, KeyRotation, ExplicitKeySource {
  /** The URI scheme. */
  public static final String SCHEME = "ppml+https";

  private final String reference;
  private final KeyBrokerClient client;
  private final KeyBrokerAdminClient admin;
  private final String writerToken;

  /**
   * @param reference {@code ppml+https://host:port}, written into file headers
   * @param client the attested client
   * @param admin an admin client, or null
   * @param writerToken a writer token for {@link #generateWrappedDataKey} outside an enclave, or
   *     null
   */
  public PpmlBrokerKms(
      String reference, KeyBrokerClient client, KeyBrokerAdminClient admin, String writerToken) {
    this.reference = reference;
    this.client = client;
    this.admin = admin;
    this.writerToken = writerToken;
  }

  @Override
  public String reference() {
    return reference;
  }

  @Override
  public DataKey generateDataKey(String keyName) throws KmsException {
    return client.dataKey(keyName);
  }

  @Override
  public WrappedKey generateWrappedDataKey(String keyName) throws KmsException {
    return writerToken != null
        ? client.wrappedDataKey(keyName, writerToken)
        : client.wrappedDataKey(keyName);
  }

  @Override
  public DataKey unwrap(WrappedKey wrapped) throws KmsException {
    return client.unwrap(wrapped);
  }

  /** Re-wraps inside the broker through the admin API, so the caller never holds the data key. */
  @Override
  public WrappedKey rewrap(WrappedKey wrapped, String keyName) throws KmsException {
    return admin().rewrap(wrapped, keyName);
  }

  /**
   * An explicit key (one that files name by id, such as Parquet explicit keys) is a KBS resource
   * {@code ppml/keys/<keyId>} on the broker, put there with the admin API and released under the
   * resource's policy, as with {@code kbs+https}.
   */
  @Override
  public byte[] explicitKey(String keyId) throws KmsException {
    return KbsKms.explicitKey(client, reference, keyId);
  }

  @Override
  public PrimaryKeyInfo createKey(String keyName) throws KmsException {
    return admin().createKey(keyName, null);
  }

  @Override
  public List<PrimaryKeyInfo> listKeys() throws KmsException {
    return admin().listKeys();
  }

  @Override
  public PrimaryKeyInfo rotateKey(String keyName) throws KmsException {
    return admin().rotateKey(keyName);
  }

  @Override
  public void disableKey(String keyName) throws KmsException {
    admin().disableKey(keyName);
  }

  private KeyBrokerAdminClient admin() throws KmsException {
    if (admin == null) {
      throw new KmsException(
          Reason.DENIED,
          "key administration on "
              + reference
              + " needs an admin token (PPML_KMS_ADMIN_TOKEN or adminTokenFile=)");
    }
    return admin;
  }

  @Override
  public String toString() {
    return "PpmlBrokerKms[" + reference + "]";
  }
}
