package org.ppml.kmsclient.ehsm;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ppml.crypto.kms.DataKey;
import org.ppml.crypto.kms.KeyAdministration;
import org.ppml.crypto.kms.Kms;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.PrimaryKeyInfo;
import org.ppml.crypto.kms.WrappedKey;

/**
 * The {@code ehsm+https://host:port} backend. Primary keys are eHSM customer master keys, named by
 * their eHSM key id (a UUID eHSM assigns); eHSM has no versions, so every key is version 1. Data
 * keys are wrapped by eHSM with the associated data {@code "keyid#1"}, the same binding the local
 * store uses.
 *
 * <p>eHSM creates, lists and disables keys ({@link KeyAdministration}); it has no key versions, so
 * no rotation or re-wrapping, and it does not import external key material.
 *
 * <p>With an {@link EhsmSelfAttestation} (the URI's {@code policyId}), {@link #generateDataKey},
 * {@link #generateWrappedDataKey} and {@link #unwrap} first make sure eHSM's {@code VerifyQuote}
 * has recently accepted this enclave's quote; key administration is not checked. Without one, no
 * attestation happens at all. Either way, read the package documentation before choosing this
 * backend: eHSM releases keys to anyone holding the API key, attested or not.
 */
public final class EhsmKms implements Kms, KeyAdministration {
  private static final int DATA_KEY_LENGTH = DataKey.LENGTH;

  private final String reference;
  private final EhsmClient client;
  private final EhsmSelfAttestation attestation;

  /** A backend that does no attestation. */
  public EhsmKms(String reference, EhsmClient client) {
    this(reference, client, null);
  }

  /**
   * @param attestation checked before each data key is requested, or null for no attestation
   */
  public EhsmKms(String reference, EhsmClient client, EhsmSelfAttestation attestation) {
    this.reference = reference;
    this.client = client;
    this.attestation = attestation;
  }

  @Override
  public String reference() {
    return reference;
  }

  @Override
  public DataKey generateDataKey(String keyName) throws KmsException {
    attest();
    byte[][] key =
        call(() -> client.generateDataKey(keyName, DATA_KEY_LENGTH, aad(keyName)), keyName);
    try {
      return new DataKey(key[0], new WrappedKey(keyName, 1, key[1]));
    } catch (IllegalArgumentException e) {
      throw new KmsException(
          KmsException.Reason.UNAVAILABLE, "eHSM returned a data key of the wrong length");
    } finally {
      Arrays.fill(key[0], (byte) 0);
    }
  }

  @Override
  public WrappedKey generateWrappedDataKey(String keyName) throws KmsException {
    attest();
    byte[] wrapped =
        call(
            () -> client.generateDataKeyWithoutPlaintext(keyName, DATA_KEY_LENGTH, aad(keyName)),
            keyName);
    return new WrappedKey(keyName, 1, wrapped);
  }

  @Override
  public DataKey unwrap(WrappedKey wrapped) throws KmsException {
    if (wrapped.keyVersion() != 1) {
      throw new KmsException(
          KmsException.Reason.KEY_NOT_FOUND,
          "eHSM keys have only version 1, not " + wrapped.keyVersion());
    }
    attest();
    byte[] plain =
        call(
            () -> client.decrypt(wrapped.keyName(), wrapped.wrapped(), aad(wrapped.keyName())),
            wrapped.keyName());
    try {
      return new DataKey(plain, wrapped);
    } catch (IllegalArgumentException e) {
      throw new KmsException(
          KmsException.Reason.UNWRAP_FAILED, "eHSM unwrapped a data key of the wrong length");
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  /**
   * eHSM names keys itself: {@code keyName} is ignored and the returned info carries the key id to
   * use from now on.
   */
  @Override
  public PrimaryKeyInfo createKey(String keyName) throws KmsException {
    String id = call(client::createKey, keyName);
    return new PrimaryKeyInfo(id, 1, List.of(1), true, Instant.now());
  }

  @Override
  public List<PrimaryKeyInfo> listKeys() throws KmsException {
    JsonNode list = call(client::listKeys, "(all)");
    List<PrimaryKeyInfo> out = new ArrayList<>();
    for (JsonNode k : list) {
      out.add(
          new PrimaryKeyInfo(
              k.path("keyid").asText(),
              1,
              List.of(1),
              k.path("keyState").asInt(0) == 1,
              Instant.ofEpochMilli(k.path("creationDate").asLong(0))));
    }
    return out;
  }

  @Override
  public void disableKey(String keyName) throws KmsException {
    call(
        () -> {
          client.disableKey(keyName);
          return null;
        },
        keyName);
  }

  private void attest() throws KmsException {
    if (attestation != null) {
      attestation.ensureVerified();
    }
  }

  private static byte[] aad(String keyName) {
    return (keyName + "#1").getBytes(StandardCharsets.UTF_8);
  }

  @FunctionalInterface
  private interface Call<T> {
    T run() throws IOException;
  }

  private static <T> T call(Call<T> call, String keyName) throws KmsException {
    try {
      return call.run();
    } catch (EhsmException e) {
      throw new KmsException(
          classify(e.getMessage()), e.getMessage() + " (key " + keyName + ")", e);
    } catch (IOException e) {
      throw new KmsException(
          KmsException.Reason.UNAVAILABLE, "eHSM unreachable or misbehaving: " + e.getMessage(), e);
    }
  }

  /** eHSM reports everything as code 400 with a message; the message is all there is to go on. */
  private static KmsException.Reason classify(String message) {
    String m = message.toLowerCase(java.util.Locale.ROOT);
    if (m.contains("not found") || m.contains("keyid")) {
      return KmsException.Reason.KEY_NOT_FOUND;
    }
    if (m.contains("disable")) {
      return KmsException.Reason.KEY_DISABLED;
    }
    if (m.contains("decrypt") || m.contains("aad")) {
      return KmsException.Reason.UNWRAP_FAILED;
    }
    return KmsException.Reason.UNAVAILABLE;
  }

  @Override
  public String toString() {
    return "EhsmKms["
        + reference
        + (attestation == null ? ", no attestation]" : ", " + attestation + "]");
  }
}
