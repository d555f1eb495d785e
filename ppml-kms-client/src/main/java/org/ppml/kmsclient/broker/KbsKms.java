package org.ppml.kmsclient.broker;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import org.ppml.crypto.kms.DataKey;
import org.ppml.crypto.kms.ExplicitKeySource;
import org.ppml.crypto.kms.KeyNames;
import org.ppml.crypto.kms.Kms;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.KmsException.Reason;
import org.ppml.crypto.kms.WrappedKey;

/**
 * The {@code kbs+https://host:port} backend: any KBS 0.4.0 server (for example Trustee, or our own
 * broker's KBS endpoints) that holds each data key as a resource.
 *
 * <p>A KBS has no wrap or unwrap, only attested release of stored resources, so this backend maps
 * the SPI onto resources as follows:
 *
 * <ul>
 *   <li>The data key of key name {@code N} is the resource {@code ppml/keys/N}: exactly 32 bytes.
 *       Any other length is an {@code INVALID_ARGUMENT} naming the resource and the length.
 *   <li>The key version is always 1 and the "wrapped" key is the UTF-8 reference {@code
 *       kbs-resource:ppml/keys/N}. It is not secret and needs no KBS to produce, so {@link
 *       #generateWrappedDataKey} makes no network call and needs no attestation: a Spark driver
 *       outside an enclave can start a write. Every file written under {@code N} therefore shares
 *       one data key; each file still gets its own key, derived by HKDF from a random per-file salt
 *       in its body header.
 *   <li>{@link #generateDataKey} and {@link #unwrap} attest and fetch the resource. Unwrap first
 *       checks that the reference is exactly the one for its key name and version 1, so a hostile
 *       header cannot point an enclave at another resource; a mismatch is {@code UNWRAP_FAILED},
 *       which readers report as an integrity failure of the file. Nothing is cached here.
 *   <li>Creating, importing, rotating, disabling, listing and re-wrapping keys are the KBS's own
 *       administration (for Trustee: {@code kbs-client config set-resource --path ppml/keys/NAME
 *       --resource-file FILE}, a 32-byte file), so this backend implements none of the
 *       administration capabilities.
 * </ul>
 *
 * Refusals are mapped from the KBS's error variant, not its status, because Trustee answers nearly
 * all of them with 401 ({@code BrokerHttp}): {@code PolicyDeny}, {@code AttestationError} and the
 * token errors are {@code DENIED}; {@code PluginInternalError} (how Trustee's resource plugin
 * reports a missing resource), {@code PluginNotFound} and {@code InvalidRequestPath} are {@code
 * KEY_NOT_FOUND}.
 */
public final class KbsKms implements Kms, ExplicitKeySource {
  /** The URI scheme. */
  public static final String SCHEME = "kbs+https";

  /** The resource path prefix; the key name is the tag. */
  public static final String RESOURCE_PREFIX = "ppml/keys/";

  /** What the wrapped form of a data key says before the resource path. */
  public static final String REFERENCE_PREFIX = "kbs-resource:";

  /** The only key version. */
  public static final int KEY_VERSION = 1;

  private final String reference;
  private final KeyBrokerClient client;

  /**
   * @param reference {@code kbs+https://host:port}, written into file headers
   * @param client the attested client; without an evidence provider only {@link
   *     #generateWrappedDataKey} works
   */
  public KbsKms(String reference, KeyBrokerClient client) {
    this.reference = reference;
    this.client = client;
  }

  /**
   * The resource that holds the data key of {@code keyName}; the key-name rule ({@link KeyNames})
   * keeps '/' and '..' out of it.
   */
  public static String resourcePath(String keyName) {
    return RESOURCE_PREFIX + keyName;
  }

  @Override
  public String reference() {
    return reference;
  }

  @Override
  public DataKey generateDataKey(String keyName) throws KmsException {
    return fetch(generateWrappedDataKey(keyName));
  }

  @Override
  public WrappedKey generateWrappedDataKey(String keyName) throws KmsException {
    KeyNames.check(keyName);
    return new WrappedKey(keyName, KEY_VERSION, wrappedForm(keyName));
  }

  @Override
  public DataKey unwrap(WrappedKey wrapped) throws KmsException {
    KeyNames.check(wrapped.keyName());
    if (wrapped.keyVersion() != KEY_VERSION
        || !MessageDigest.isEqual(wrapped.wrapped(), wrappedForm(wrapped.keyName()))) {
      throw new KmsException(
          Reason.UNWRAP_FAILED,
          "the wrapped key of '"
              + wrapped.keyName()
              + "' v"
              + wrapped.keyVersion()
              + " is not the reference "
              + REFERENCE_PREFIX
              + resourcePath(wrapped.keyName())
              + " v"
              + KEY_VERSION
              + " that "
              + SCHEME
              + " writes");
    }
    return fetch(wrapped);
  }

  private DataKey fetch(WrappedKey wrapped) throws KmsException {
    String path = resourcePath(wrapped.keyName());
    byte[] content = client.resource(path);
    try {
      if (content.length != DataKey.LENGTH) {
        throw new KmsException(
            Reason.INVALID_ARGUMENT,
            "KBS resource "
                + path
                + " at "
                + reference
                + " is "
                + content.length
                + " bytes; a data key is "
                + DataKey.LENGTH);
      }
      return new DataKey(content, wrapped);
    } finally {
      Arrays.fill(content, (byte) 0);
    }
  }

  /**
   * The resource {@code ppml/keys/<keyId>} as an explicit key (Parquet files that name keys by id).
   */
  @Override
  public byte[] explicitKey(String keyId) throws KmsException {
    return explicitKey(client, reference, keyId);
  }

  /**
   * The explicit key {@code keyId} from the KBS behind {@code client}: the attested resource {@code
   * ppml/keys/<keyId>}, released to this enclave's TEE key only. Shared by every backend that
   * speaks KBS, so the same resource layout serves {@code kbs+https} and our own broker.
   */
  static byte[] explicitKey(KeyBrokerClient client, String reference, String keyId)
      throws KmsException {
    KeyNames.check(keyId);
    String path = resourcePath(keyId);
    byte[] content = client.resource(path);
    if (content.length != 16 && content.length != 24 && content.length != 32) {
      Arrays.fill(content, (byte) 0);
      throw new KmsException(
          Reason.INVALID_ARGUMENT,
          "KBS resource "
              + path
              + " at "
              + reference
              + " is "
              + content.length
              + " bytes; an explicit AES key is 16, 24 or 32");
    }
    return content;
  }

  private static byte[] wrappedForm(String keyName) {
    return (REFERENCE_PREFIX + resourcePath(keyName)).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "KbsKms[" + reference + "]";
  }
}
