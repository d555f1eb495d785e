package org.ppml.kmsclient.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEObjectJSON;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.ppml.attestation.evidence.EvidenceProvider;
import org.ppml.crypto.kms.DataKey;
import org.ppml.crypto.kms.KmsException.Reason;
import org.ppml.crypto.kms.WrappedKey;

/**
 * A client of the PPML key broker: KBS auth and attest with evidence from an {@link
 * EvidenceProvider}, then the PPML extension (datakey, unwrap, wrapped-datakey) and KBS resources.
 *
 * <p>The TEE key is an ephemeral P-256 key generated per client in memory; its public half goes
 * into the attested runtime data, so the broker encrypts releases to a key that never leaves this
 * process (inside an enclave: never leaves the enclave). The token is cached for its lifetime and
 * renewed by attesting again. Thread-safe.
 */
public final class KeyBrokerClient {
  private static final ObjectMapper JSON = BrokerHttp.JSON;
  private static final Duration RENEW_MARGIN = Duration.ofSeconds(30);

  private final BrokerHttp http;
  private final EvidenceProvider evidence;
  private final Clock clock;
  private final ECKey teeKey;
  private final ResponseDecrypter decrypter;
  private final ObjectNode teePubkey;
  private String token;
  private String session;
  private Instant tokenExpiry = Instant.EPOCH;
  private Map<String, Object> tokenClaims = Map.of();

  /**
   * @param baseUrl {@code https://host:port}
   * @param tls from {@link BrokerTls}
   * @param evidence the evidence provider, or null for a client that only uses writer tokens
   * @param timeout per-request timeout
   */
  public KeyBrokerClient(URI baseUrl, SSLContext tls, EvidenceProvider evidence, Duration timeout) {
    this.http = new BrokerHttp(baseUrl, tls, timeout);
    this.evidence = evidence;
    this.clock = Clock.systemUTC();
    try {
      this.teeKey =
          new ECKeyGenerator(Curve.P_256).algorithm(JWEAlgorithm.ECDH_ES_A256KW).generate();
      this.decrypter = new ResponseDecrypter(teeKey);
      this.teePubkey = teePubkeyJson(teeKey);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate the P-256 TEE key", e);
    }
  }

  /** The broker URL. */
  public URI baseUrl() {
    return http.base();
  }

  /**
   * Runs KBS auth and attest now (ignoring any cached token) and returns the token's claims.
   *
   * @throws KeyBrokerException when the broker refuses the evidence (401) or cannot be reached
   */
  public synchronized Map<String, Object> attest() throws KeyBrokerException {
    if (evidence == null) {
      throw new KeyBrokerException(
          Reason.INVALID_ARGUMENT,
          0,
          null,
          "this client has no evidence provider and cannot attest",
          List.of());
    }
    KbsHandshake.Attested attested = new KbsHandshake(http, evidence, teePubkey).run();
    String jwt = attested.token();
    try {
      SignedJWT parsed = SignedJWT.parse(jwt);
      Date exp = parsed.getJWTClaimsSet().getExpirationTime();
      this.tokenClaims = parsed.getJWTClaimsSet().toJSONObject();
      // A token without exp is used once and renewed: nothing says how long it lasts.
      this.tokenExpiry = exp != null ? exp.toInstant() : clock.instant();
    } catch (ParseException x) {
      throw new KeyBrokerException(
          Reason.UNAVAILABLE, 200, null, "the broker's token is not a JWT", List.of());
    }
    this.token = jwt;
    this.session = attested.session();
    return tokenClaims;
  }

  /** The cached token, attesting first if there is none or it is about to expire. */
  public synchronized String token() throws KeyBrokerException {
    if (token == null || !clock.instant().plus(RENEW_MARGIN).isBefore(tokenExpiry)) {
      attest();
    }
    return token;
  }

  /** The claims of the current token (attesting first if needed). */
  public synchronized Map<String, Object> claims() throws KeyBrokerException {
    token();
    return tokenClaims;
  }

  /** A fresh data key under {@code keyName}, released to this client's TEE key. */
  public DataKey dataKey(String keyName) throws KeyBrokerException {
    ObjectNode req = JSON.createObjectNode().put("keyName", keyName);
    req.set("tee-pubkey", teePubkey);
    JsonNode r = attested("/ppml/v1/datakey", req);
    WrappedKey wrapped = wrappedKeyOf(r);
    return releasedKey(r, wrapped);
  }

  /** Unwraps {@code wrapped} through the broker. */
  public DataKey unwrap(WrappedKey wrapped) throws KeyBrokerException {
    ObjectNode req =
        JSON.createObjectNode()
            .put("keyName", wrapped.keyName())
            .put("keyVersion", wrapped.keyVersion())
            .put("wrappedKey", Base64.getEncoder().encodeToString(wrapped.wrapped()));
    req.set("tee-pubkey", teePubkey);
    JsonNode r = attested("/ppml/v1/unwrap", req);
    return releasedKey(r, wrapped);
  }

  /** The data key in a release's JWE, as a {@link DataKey} with {@code wrapped}. */
  private DataKey releasedKey(JsonNode release, WrappedKey wrapped) throws KeyBrokerException {
    byte[] key = decrypt(release.get("jwe"));
    try {
      return new DataKey(key, wrapped);
    } catch (IllegalArgumentException e) {
      throw new KeyBrokerException(
          Reason.UNWRAP_FAILED, 200, null, "the released data key has the wrong length", List.of());
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** A wrapped data key only, with the attestation token. */
  public WrappedKey wrappedDataKey(String keyName) throws KeyBrokerException {
    return wrappedKeyOf(
        attested("/ppml/v1/wrapped-datakey", JSON.createObjectNode().put("keyName", keyName)));
  }

  /** A wrapped data key only, with a writer token from the admin API: no attestation needed. */
  public WrappedKey wrappedDataKey(String keyName, String writerToken) throws KeyBrokerException {
    return wrappedKeyOf(
        http.send(
                "POST",
                "/ppml/v1/wrapped-datakey",
                writerToken,
                null,
                JSON.createObjectNode().put("keyName", keyName))
            .body());
  }

  /** A KBS resource {@code repo/type/tag}, decrypted. The caller zeroes it. */
  public byte[] resource(String path) throws KeyBrokerException {
    return decrypt(attested("GET", "/kbs/v0/resource/" + path, null));
  }

  /**
   * The public TEE key as the reference client serialises it (kbs-types {@code TeePubKey::EC}):
   * {@code kty}, {@code crv}, {@code alg}, {@code x}, {@code y}, nothing else.
   */
  static ObjectNode teePubkeyJson(ECKey key) {
    ObjectNode jwk = JSON.createObjectNode();
    jwk.put("kty", "EC");
    jwk.put("crv", Curve.P_256.getName());
    jwk.put("alg", JWEAlgorithm.ECDH_ES_A256KW.getName());
    jwk.put("x", key.getX().toString());
    jwk.put("y", key.getY().toString());
    return jwk;
  }

  private JsonNode attested(String path, ObjectNode body) throws KeyBrokerException {
    return attested("POST", path, body);
  }

  private JsonNode attested(String method, String path, ObjectNode body) throws KeyBrokerException {
    String t = token();
    try {
      return http.send(method, path, t, sessionCookie(), body).body();
    } catch (KeyBrokerException e) {
      if (e.status() != 401) {
        throw e;
      }
      // A KBS answers 401 for an expired session or token, and the broker may have restarted with
      // another signing key: attest once more. Trustee also answers 401 for refusals that a new
      // token cannot cure (a policy denial, a missing resource); the second answer is reported
      // as it came, with its type and detail.
      synchronized (this) {
        token = null;
      }
      String fresh = token();
      return http.send(method, path, fresh, sessionCookie(), body).body();
    }
  }

  private synchronized String sessionCookie() {
    return session == null ? null : KbsHandshake.SESSION_COOKIE + "=" + session;
  }

  /** The {@code keyName}, {@code keyVersion} and {@code wrappedKey} of a broker answer. */
  static WrappedKey wrappedKeyOf(JsonNode r) throws KeyBrokerException {
    try {
      return new WrappedKey(
          r.get("keyName").textValue(),
          r.get("keyVersion").intValue(),
          Base64.getDecoder().decode(r.get("wrappedKey").textValue()));
    } catch (RuntimeException e) {
      throw new KeyBrokerException(
          Reason.UNAVAILABLE, 200, null, "the broker's wrapped key is malformed", List.of());
    }
  }

  private byte[] decrypt(JsonNode jwe) throws KeyBrokerException {
    try {
      if (jwe == null || !jwe.isObject()) {
        throw new ParseException("no JWE object", 0);
      }
      JWEObjectJSON o = JWEObjectJSON.parse(jwe.toString());
      if (!JWEAlgorithm.ECDH_ES_A256KW.equals(o.getHeader().getAlgorithm())
          || !EncryptionMethod.A256GCM.equals(o.getHeader().getEncryptionMethod())) {
        throw new KeyBrokerException(
            Reason.UNWRAP_FAILED,
            200,
            null,
            "the broker's JWE is not ECDH-ES+A256KW/A256GCM",
            List.of());
      }
      o.decrypt(decrypter);
      return o.getPayload().toBytes();
    } catch (ParseException | JOSEException | IllegalArgumentException | NullPointerException e) {
      throw new KeyBrokerException(
          Reason.UNWRAP_FAILED,
          200,
          null,
          "the broker's JWE does not decrypt with this client's TEE key ("
              + e.getClass().getSimpleName()
              + (e.getMessage() != null ? ": " + e.getMessage() : "")
              + ")",
          List.of());
    }
  }

  @Override
  public String toString() {
    return "KeyBrokerClient[" + http.base() + "]";
  }
}
