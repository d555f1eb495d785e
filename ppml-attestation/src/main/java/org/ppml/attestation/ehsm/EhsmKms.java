package org.ppml.attestation.ehsm;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.ppml.crypto.kms.DataKey;
import org.ppml.crypto.kms.Kms;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.KmsException.Reason;
import org.ppml.crypto.kms.PrimaryKeyInfo;
import org.ppml.crypto.kms.WrappedKey;

/**
 * The {@code ehsm+https://host:port} backend. A PPML key name is the eHSM key id; there is one
 * version. Wrapped keys are eHSM ciphertexts with AAD {@code "name#1"}, so a header edited to name
 * another key fails to decrypt, as with the other backends.
 *
 * <p>Unlike {@code ppml+https}, eHSM releases plaintext to any holder of the app key: no quote is
 * bound to the request. See {@link EhsmClient}.
 */
public final class EhsmKms implements Kms {
    /** The URI scheme. */
    public static final String SCHEME = "ehsm+https";
    private static final int VERSION = 1;

    private final String reference;
    private final EhsmClient client;

    public EhsmKms(String reference, EhsmClient client) {
        this.reference = reference;
        this.client = client;
    }

    @Override
    public String reference() {
        return reference;
    }

    @Override
    public boolean matches(String headerReference) {
        return reference.equals(headerReference);
    }

    @Override
    public DataKey generateDataKey(String keyName) throws KmsException {
        WrappedKey wrapped = generateWrappedDataKey(keyName);
        return unwrap(wrapped);
    }

    @Override
    public WrappedKey generateWrappedDataKey(String keyName) throws KmsException {
        return new WrappedKey(keyName, VERSION, client.generateDataKeyWithoutPlaintext(keyName, DataKey.LENGTH, aad(keyName)));
    }

    @Override
    public DataKey unwrap(WrappedKey wrapped) throws KmsException {
        if (wrapped.keyVersion() != VERSION) {
            throw new KmsException(Reason.KEY_NOT_FOUND, "eHSM keys have only version 1");
        }
        byte[] plain;
        try {
            plain = client.decrypt(wrapped.keyName(), wrapped.wrapped(), aad(wrapped.keyName()));
        } catch (EhsmException e) {
            throw e.code() == 400 ? new KmsException(Reason.UNWRAP_FAILED, e.getMessage()) : e;
        }
        try {
            return new DataKey(plain, wrapped);
        } catch (IllegalArgumentException e) {
            throw new KmsException(Reason.UNWRAP_FAILED, "eHSM returned a data key of the wrong length");
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    @Override
    public WrappedKey rewrap(WrappedKey wrapped, String keyName) throws KmsException {
        throw new KmsException(Reason.UNAVAILABLE, "eHSM cannot wrap a given data key; rewrap is not offered");
    }

    /** Creates an eHSM key; its name is the key id eHSM assigns, not {@code keyName}. */
    @Override
    public PrimaryKeyInfo createKey(String keyName) throws KmsException {
        String id = client.createKey("EH_AES_GCM_256", "EH_INTERNAL_KEY");
        return new PrimaryKeyInfo(id, VERSION, List.of(VERSION), true, Instant.now());
    }

    @Override
    public PrimaryKeyInfo importKey(String keyName, byte[] material) throws KmsException {
        throw new KmsException(Reason.INVALID_ARGUMENT, "eHSM keys are created inside eHSM; import is not offered");
    }

    @Override
    public List<PrimaryKeyInfo> listKeys() throws KmsException {
        throw new KmsException(Reason.UNAVAILABLE, "listing eHSM keys is not offered by this client");
    }

    @Override
    public PrimaryKeyInfo rotateKey(String keyName) throws KmsException {
        throw new KmsException(Reason.UNAVAILABLE, "eHSM key rotation is not offered by this client");
    }

    @Override
    public void disableKey(String keyName) throws KmsException {
        throw new KmsException(Reason.UNAVAILABLE, "disabling eHSM keys is not offered by this client");
    }

    @Override
    public void close() {
        client.close();
    }

    private static byte[] aad(String keyName) {
        return (keyName + "#" + VERSION).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "EhsmKms[" + reference + "]";
    }
}
