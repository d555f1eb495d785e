package org.ppml.kms.release;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ppml.attestation.policy.AttestedClaims;
import org.ppml.crypto.kms.DataKey;
import org.ppml.crypto.kms.KeyNames;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.local.LocalKeyWrap;
import org.ppml.kms.BrokerException;
import org.ppml.kms.BrokerException.Kind;
import org.ppml.kms.audit.AuditLog;
import org.ppml.kms.audit.AuditRecord;
import org.ppml.kms.metrics.BrokerMetrics;
import org.ppml.kms.store.KeyMaterial;
import org.ppml.kms.store.PrimaryKeyStore;
import org.ppml.kms.store.ReleasableKey;
import org.ppml.kms.store.ResourceStore;
import org.ppml.kms.store.StoreException;
import org.ppml.kms.token.AttestationToken;

/**
 * Releases data keys and KBS resources to attested enclaves, as named steps: find the key, check it
 * is enabled, enforce its policy against the token's claims, then wrap or unwrap and encrypt the
 * result to the token's TEE key. Wrapped-only keys (for writers) and re-wraps (for administrators)
 * take the same steps but release no plaintext. Every release and denial is audited before the
 * response goes out.
 *
 * <p>Data keys are wrapped with {@link LocalKeyWrap} (docs/format.md), so a wrapped key from the
 * broker has the same format as one from a local store.
 */
public final class KeyReleaseService {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final PrimaryKeyStore keys;
  private final ResourceStore resources;
  private final ReleasePolicyEnforcer enforcer;
  private final ResponseEncrypter encrypter;
  private final AuditLog audit;
  private final BrokerMetrics metrics;

  /**
   * A data key encrypted to the TEE key, with its wrapped form.
   *
   * @param jwe the flattened JWE of the 32 key bytes
   * @param keyName the primary key
   * @param keyVersion its version
   * @param wrappedKey the wrapped data key (not secret)
   */
  public record ReleasedDataKey(
      Map<String, Object> jwe, String keyName, int keyVersion, byte[] wrappedKey) {}

  /**
   * A wrapped data key only.
   *
   * @param keyName the primary key
   * @param keyVersion its version
   * @param wrappedKey the wrapped data key
   */
  public record WrappedDataKey(String keyName, int keyVersion, byte[] wrappedKey) {}

  public KeyReleaseService(
      PrimaryKeyStore keys,
      ResourceStore resources,
      ReleasePolicyEnforcer enforcer,
      ResponseEncrypter encrypter,
      AuditLog audit) {
    this(keys, resources, enforcer, encrypter, audit, new BrokerMetrics(false));
  }

  /**
   * @param metrics counts each release and denial, as the audit log records it
   */
  public KeyReleaseService(
      PrimaryKeyStore keys,
      ResourceStore resources,
      ReleasePolicyEnforcer enforcer,
      ResponseEncrypter encrypter,
      AuditLog audit,
      BrokerMetrics metrics) {
    this.keys = keys;
    this.resources = resources;
    this.enforcer = enforcer;
    this.encrypter = encrypter;
    this.audit = audit;
    this.metrics = metrics;
  }

  /**
   * A fresh data key under the primary version of {@code keyName}, released to the token's enclave.
   *
   * @param presentedTeeKey the thumbprint of a {@code tee-pubkey} the caller named, or null
   */
  public ReleasedDataKey dataKey(
      AttestationToken token, String keyName, String presentedTeeKey, String peer)
      throws BrokerException, StoreException {
    Trail trail = new Trail(peer, "datakey", token.claims(), "token " + token.id());
    try {
      checkTeeKey(token, presentedTeeKey);
      ReleasableKey key = findKey(keyName, null);
      trail.held(keyName);
      checkEnabled(key);
      enforcer.enforce(key.policyJson(), token.claims());
      byte[] dataKey = new byte[DataKey.LENGTH];
      RANDOM.nextBytes(dataKey);
      try (KeyMaterial primary = material(key)) {
        byte[] wrapped = wrap(primary, dataKey);
        Map<String, Object> jwe =
            encrypter.encrypt(dataKey, token.teePublicKey(), token.teeKeyThumbprint());
        trail.allow(keyName, primary.version());
        return new ReleasedDataKey(jwe, keyName, primary.version(), wrapped);
      } finally {
        Arrays.fill(dataKey, (byte) 0);
      }
    } catch (BrokerException e) {
      throw trail.deny(e, keyName, null);
    }
  }

  /**
   * Unwraps a data key and releases it to the token's enclave.
   *
   * @param presentedTeeKey the thumbprint of a {@code tee-pubkey} the caller named, or null
   */
  public Map<String, Object> unwrap(
      AttestationToken token,
      String keyName,
      int keyVersion,
      byte[] wrapped,
      String presentedTeeKey,
      String peer)
      throws BrokerException, StoreException {
    Trail trail = new Trail(peer, "unwrap", token.claims(), "token " + token.id());
    try {
      checkTeeKey(token, presentedTeeKey);
      ReleasableKey key = findKey(keyName, keyVersion);
      trail.held(keyName);
      checkEnabled(key);
      enforcer.enforce(key.policyJson(), token.claims());
      try (KeyMaterial material = material(key)) {
        byte[] dataKey = unwrap(material, wrapped);
        try {
          Map<String, Object> jwe =
              encrypter.encrypt(dataKey, token.teePublicKey(), token.teeKeyThumbprint());
          trail.allow(keyName, keyVersion);
          return jwe;
        } finally {
          Arrays.fill(dataKey, (byte) 0);
        }
      }
    } catch (BrokerException e) {
      throw trail.deny(e, keyName, keyVersion);
    }
  }

  /**
   * A wrapped data key with no plaintext, for a writer outside an enclave. With an attestation
   * token ({@code claims} non-null) the key's policy must hold; a writer token skips it because it
   * never sees key bytes.
   */
  public WrappedDataKey wrappedDataKey(
      AttestedClaims claims, String caller, String keyName, String peer)
      throws BrokerException, StoreException {
    Trail trail = new Trail(peer, "wrapped-datakey", claims, caller);
    try {
      ReleasableKey key = findKey(keyName, null);
      trail.held(keyName);
      checkEnabled(key);
      if (claims != null) {
        enforcer.enforce(key.policyJson(), claims);
      }
      byte[] dataKey = new byte[DataKey.LENGTH];
      RANDOM.nextBytes(dataKey);
      try (KeyMaterial primary = material(key)) {
        byte[] wrapped = wrap(primary, dataKey);
        trail.allow(keyName, primary.version());
        return new WrappedDataKey(keyName, primary.version(), wrapped);
      } finally {
        Arrays.fill(dataKey, (byte) 0);
      }
    } catch (BrokerException e) {
      throw trail.deny(e, keyName, null);
    }
  }

  /**
   * Re-wraps a data key under the primary version of {@code toKey}, for an administrator after a
   * rotation. The data key is unwrapped and wrapped again here and never leaves the broker, so no
   * policy applies; both keys must be enabled, as for any release.
   *
   * @param caller who asked, for the audit record
   */
  public WrappedDataKey rewrap(
      String caller, String keyName, int keyVersion, byte[] wrapped, String toKey, String peer)
      throws BrokerException, StoreException {
    Trail trail = new Trail(peer, "rewrap", null, caller + "; to " + toKey);
    try {
      ReleasableKey from = findKey(keyName, keyVersion);
      trail.held(keyName);
      checkEnabled(from);
      ReleasableKey to = findKey(toKey, null);
      checkEnabled(to);
      try (KeyMaterial source = material(from);
          KeyMaterial target = material(to)) {
        byte[] dataKey = unwrap(source, wrapped);
        try {
          byte[] fresh = wrap(target, dataKey);
          trail.allow(keyName, keyVersion, caller + "; to " + toKey + " v" + target.version());
          return new WrappedDataKey(toKey, target.version(), fresh);
        } finally {
          Arrays.fill(dataKey, (byte) 0);
        }
      }
    } catch (BrokerException e) {
      throw trail.deny(e, keyName, keyVersion);
    }
  }

  /** A KBS resource, released to the token's enclave under the resource's policy. */
  public Map<String, Object> resource(AttestationToken token, String path, String peer)
      throws BrokerException, StoreException {
    Trail trail = new Trail(peer, "resource", token.claims(), "token " + token.id());
    try {
      Optional<ResourceStore.Resource> found = resources.get(path);
      if (found.isEmpty()) {
        throw new BrokerException(Kind.UNKNOWN_KEY, "no resource " + path);
      }
      ResourceStore.Resource r = found.get();
      trail.held(path);
      try {
        enforcer.enforce(r.policyJson(), token.claims());
        Map<String, Object> jwe =
            encrypter.encrypt(r.content(), token.teePublicKey(), token.teeKeyThumbprint());
        trail.allow(path, null);
        return jwe;
      } finally {
        Arrays.fill(r.content(), (byte) 0);
      }
    } catch (BrokerException e) {
      throw trail.deny(e, path, null);
    }
  }

  /**
   * The audit record and metric of one request. Each release method opens one and ends through
   * {@link #allow} or {@link #deny}, so every audited release is counted, every denial names its
   * reasons, and the two can never disagree about what happened.
   */
  private final class Trail {
    private final String peer;
    private final String event;
    private final AttestedClaims claims;
    private final String detail;
    // The subject as found in the store: only a held key or resource may name a metric series,
    // so a caller cannot grow the metrics with names of its own choosing.
    private String held;

    /**
     * @param claims the attested claims behind the request, or null for an unattested caller
     * @param detail who asked, for the audit record
     */
    Trail(String peer, String event, AttestedClaims claims, String detail) {
      this.peer = peer;
      this.event = event;
      this.claims = claims;
      this.detail = detail;
    }

    /** The subject was found in the store. */
    void held(String subject) {
      held = subject;
    }

    void allow(String subject, Integer version) throws StoreException {
      allow(subject, version, detail);
    }

    void allow(String subject, Integer version, String allowDetail) throws StoreException {
      audit.append(
          AuditRecord.of(
              peer, event, AuditRecord.ALLOW, subject, version, claims, List.of(), allowDetail));
      metrics.released(event, subject);
    }

    /** Records the denial and hands {@code e} back for the caller to throw. */
    BrokerException deny(BrokerException e, String subject, Integer version) throws StoreException {
      audit.append(
          AuditRecord.of(
              peer, event, AuditRecord.DENY, subject, version, claims, reasons(e), detail));
      metrics.denied(event, held, e.kind());
      return e;
    }
  }

  // The response always goes to the attested key. A caller that names a different key holds a
  // token that is not its own; it is told so rather than sent a JWE it cannot open.
  private static void checkTeeKey(AttestationToken token, String presentedThumbprint)
      throws BrokerException {
    if (presentedThumbprint != null
        && !MessageDigest.isEqual(
            presentedThumbprint.getBytes(StandardCharsets.US_ASCII),
            token.teeKeyThumbprint().getBytes(StandardCharsets.US_ASCII))) {
      throw new BrokerException(
          Kind.DENIED,
          "the tee-pubkey is not the key this token was attested with",
          List.of("tee-pubkey: does not match the attested key (cnf.jkt)"));
    }
  }

  /**
   * The key as of one commit, with {@code version} (null: the primary one) to wrap or unwrap with.
   */
  private ReleasableKey findKey(String keyName, Integer version)
      throws BrokerException, StoreException {
    if (!KeyNames.isValid(keyName)) {
      throw new BrokerException(Kind.BAD_REQUEST, "keyName is not a valid key name");
    }
    return keys.forRelease(keyName, version)
        .orElseThrow(() -> new BrokerException(Kind.UNKNOWN_KEY, "no key '" + keyName + "'"));
  }

  private static void checkEnabled(ReleasableKey key) throws BrokerException {
    if (!key.enabled()) {
      throw new BrokerException(
          Kind.DENIED, "key '" + key.name() + "' is disabled", List.of("enabled: key is disabled"));
    }
  }

  private static KeyMaterial material(ReleasableKey key) throws BrokerException, StoreException {
    return key.open()
        .orElseThrow(
            () ->
                new BrokerException(
                    Kind.UNKNOWN_KEY, "key '" + key.name() + "' has no version " + key.version()));
  }

  private static byte[] wrap(KeyMaterial primary, byte[] dataKey) throws BrokerException {
    try {
      return LocalKeyWrap.wrap(primary.bytes(), primary.name(), primary.version(), dataKey);
    } catch (KmsException e) {
      throw new BrokerException(Kind.INTERNAL, "wrap failed");
    }
  }

  private static byte[] unwrap(KeyMaterial material, byte[] wrapped) throws BrokerException {
    try {
      return LocalKeyWrap.unwrap(material.bytes(), material.name(), material.version(), wrapped);
    } catch (KmsException e) {
      if (e.reason() == KmsException.Reason.UNWRAP_FAILED) {
        throw new BrokerException(Kind.UNWRAP_FAILED, e.getMessage());
      }
      throw new BrokerException(Kind.INTERNAL, "unwrap failed");
    }
  }

  private static List<String> reasons(BrokerException e) {
    return e.violations().isEmpty() ? List.of(e.getMessage()) : e.violations();
  }
}
