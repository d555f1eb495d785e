package org.ppml.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.ppml.kms.tls.TlsIdentity;

/**
 * A fake of an external platform: a KBS that answers as Trustee v0.14.0 does, written from its
 * source ({@code kbs/src/api_server.rs}, {@code kbs/src/attestation/backend.rs}, {@code
 * kbs/src/error.rs}, {@code kbs/src/jwe.rs}) and kbs-types 0.12.0, over TLS on loopback. Its
 * attestation service is a stand-in that checks the 0.4.0 body shapes and the REPORT_DATA binding
 * of an SGX quote, not the quote's signature. It records the bodies it receives.
 */
final class TrusteeShapedKbs implements AutoCloseable {
  static final String ERRORS = "https://github.com/confidential-containers/kbs/errors/";

  private record Session(String tee, String nonce, Instant expires, String token) {}

  final List<JsonNode> authBodies = new CopyOnWriteArrayList<>();
  final List<JsonNode> attestBodies = new CopyOnWriteArrayList<>();
  final Map<String, byte[]> resources = new ConcurrentHashMap<>();
  final Set<String> deniedByPolicy = ConcurrentHashMap.newKeySet();
  final List<String> issuedNonces = new CopyOnWriteArrayList<>();

  /** How far the KBS's clock is ahead of the test's: moving it expires sessions and tokens. */
  volatile Duration clockAhead = Duration.ZERO;

  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final ECKey tokenKey;
  private final Server server;
  private final ServerConnector connector;
  private final TlsIdentity tls;

  TrusteeShapedKbs(Path dir) throws Exception {
    tokenKey = new ECKeyGenerator(Curve.P_256).generate();
    tls = TlsIdentity.loadOrCreate(dir, List.of("127.0.0.1"));
    server = new Server();
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(tls.keyStore());
    ssl.setKeyStorePassword(tls.keyStorePassword());
    ssl.setSniRequired(false);
    connector =
        new ServerConnector(
            server,
            new SslConnectionFactory(ssl, "http/1.1"),
            new HttpConnectionFactory(new HttpConfiguration()));
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws Exception {
            serve(request, response, callback);
            return true;
          }
        });
    server.start();
  }

  String uri() {
    return "kbs+https://127.0.0.1:" + connector.getLocalPort() + "?tlsSha256=" + tls.sha256();
  }

  int attestCount() {
    return attestBodies.size();
  }

  private Instant now() {
    return Instant.now().plus(clockAhead);
  }

  private void serve(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    String method = request.getMethod();
    String body = Content.Source.asString(request, StandardCharsets.UTF_8);
    if (!path.startsWith("/kbs/v0/")) {
      send(response, callback, 404, null, "");
      return;
    }
    String rest = path.substring("/kbs/v0/".length());
    if (rest.equals("auth") && method.equals("POST")) {
      auth(body, response, callback);
    } else if (rest.equals("attest") && method.equals("POST")) {
      attest(body, cookie(request), response, callback);
    } else if (rest.startsWith("resource/") && method.equals("GET")) {
      resource(rest.substring("resource/".length()), request, response, callback);
    } else {
      String plugin = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
      error(response, callback, 404, "PluginNotFound", "Plugin " + plugin + " not found");
    }
  }

  private void auth(String body, Response response, Callback callback) throws Exception {
    JsonNode request = RawKbs.JSON.readTree(body);
    authBodies.add(request);
    String version = request.path("version").asText();
    if (!version.equals("0.4.0")) {
      error(
          response,
          callback,
          401,
          "AttestationError",
          "Attestation error: RCAR handshake Auth failed: KBS Client Protocol Version Mismatch:"
              + " expect =0.4.0 while the request is "
              + version);
      return;
    }
    byte[] nonce = new byte[32];
    new SecureRandom().nextBytes(nonce);
    String n = Base64.getEncoder().encodeToString(nonce);
    issuedNonces.add(n);
    String id = UUID.randomUUID().toString();
    sessions.put(
        id, new Session(request.get("tee").asText(), n, now().plus(Duration.ofMinutes(5)), null));
    ObjectNode challenge = RawKbs.JSON.createObjectNode();
    challenge.put("nonce", n);
    challenge.put("extra-params", "");
    response.getHeaders().add(HttpHeader.SET_COOKIE, "kbs-session-id=" + id);
    send(response, callback, 200, "application/json", challenge.toString());
  }

  private void attest(String body, String cookie, Response response, Callback callback)
      throws Exception {
    JsonNode attestation = RawKbs.JSON.readTree(body);
    attestBodies.add(attestation);
    Session session = cookie == null ? null : sessions.get(cookie);
    String refused = null;
    if (session == null || now().isAfter(session.expires())) {
      refused = "session not found or expired";
    } else {
      JsonNode runtimeData = attestation.get("runtime-data");
      JsonNode composite = attestation.get("tee-evidence");
      if (!composite.has("primary_evidence") || !composite.get("additional_evidence").isTextual()) {
        refused = "failed to parse composite evidence";
      } else if (!session.nonce().equals(runtimeData.get("nonce").asText())) {
        refused = "the nonce in the handshake session is different";
      } else {
        byte[] expected =
            ReferenceKbsClient.reportData(
                session.nonce(),
                teePubKey(runtimeData.get("tee-pubkey")),
                composite.get("additional_evidence").asText());
        byte[] quote =
            Base64.getDecoder().decode(composite.get("primary_evidence").get("quote").asText());
        // SGX quote v3: REPORT_DATA is at 48 (header) + 320 (report body offset).
        if (!session.tee().equals("sgx")
            || !Arrays.equals(expected, Arrays.copyOfRange(quote, 368, 432))) {
          refused = "REPORT_DATA is different from that in SGX Quote";
        }
      }
    }
    if (refused != null) {
      error(
          response,
          callback,
          401,
          "AttestationError",
          "Attestation error: RCAR handshake Attest failed");
      return;
    }
    Instant iat = now();
    String token = token(attestation.get("runtime-data").get("tee-pubkey"), iat);
    sessions.put(cookie, new Session(session.tee(), session.nonce(), session.expires(), token));
    response.getHeaders().add(HttpHeader.SET_COOKIE, "kbs-session-id=" + cookie);
    send(
        response,
        callback,
        200,
        "application/json",
        RawKbs.JSON.createObjectNode().put("token", token).toString());
  }

  private void resource(String path, Request request, Response response, Callback callback)
      throws Exception {
    String token = null;
    Session s = sessions.get(String.valueOf(cookie(request)));
    if (s != null && s.token() != null && now().isBefore(s.expires())) {
      token = s.token();
    }
    String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    if (token == null && auth != null && auth.startsWith("Bearer ")) {
      token = auth.substring(7);
    }
    if (token == null) {
      error(response, callback, 401, "TokenNotFound", "Attestation Token not found");
      return;
    }
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
      if (!jwt.verify(new ECDSAVerifier(tokenKey.toPublicJWK()))
          || !now().isBefore(jwt.getJWTClaimsSet().getExpirationTime().toInstant())) {
        throw new IllegalStateException("expired or forged");
      }
    } catch (Exception e) {
      error(response, callback, 401, "TokenVerifierError", "Token Verifier error");
      return;
    }
    if (deniedByPolicy.contains(path)) {
      error(response, callback, 401, "PolicyDeny", "Access denied by policy");
      return;
    }
    byte[] content = resources.get(path);
    if (content == null) {
      // Trustee's resource plugin fails to read it: PluginInternalError, whose Display drops the
      // source.
      error(response, callback, 401, "PluginInternalError", "Plugin internal error");
      return;
    }
    JsonNode teePubkey =
        RawKbs.JSON.valueToTree(jwt.getJWTClaimsSet().getJSONObjectClaim("tee-pubkey"));
    send(response, callback, 200, "application/json", jwe(teePubkey, content));
  }

  /** kbs-types {@code TeePubKey} as it deserialises and re-serialises: tagged by kty. */
  private static JsonNode teePubKey(JsonNode jwk) {
    Map<String, Object> m = RawKbs.JSON.convertValue(jwk, Map.class);
    return KeyBrokerEndToEndTestSupport.referenceJwk(m);
  }

  private String token(JsonNode teePubkey, Instant iat) throws Exception {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issueTime(Date.from(iat))
            .expirationTime(Date.from(iat.plus(Duration.ofMinutes(5))))
            .issuer("trustee-shaped")
            .claim("tee-pubkey", RawKbs.JSON.convertValue(teePubkey, Map.class))
            .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.ES256), claims);
    jwt.sign(new ECDSASigner(tokenKey));
    return jwt.serialize();
  }

  /** {@code ecdh_es_a256kw_p256} of Trustee's {@code kbs/src/jwe.rs}. */
  private static String jwe(JsonNode teePubkey, byte[] payload) throws Exception {
    Base64.Decoder b64 = Base64.getUrlDecoder();
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair eph = g.generateKeyPair();
    ECPublicKey client =
        (ECPublicKey)
            KeyFactory.getInstance("EC")
                .generatePublic(
                    new ECPublicKeySpec(
                        new ECPoint(
                            new BigInteger(1, b64.decode(teePubkey.get("x").asText())),
                            new BigInteger(1, b64.decode(teePubkey.get("y").asText()))),
                        ((ECPublicKey) eph.getPublic()).getParams()));
    KeyAgreement ka = KeyAgreement.getInstance("ECDH");
    ka.init(eph.getPrivate());
    ka.doPhase(client, true);
    byte[] kek = ReferenceKbsClient.concatKdf(ka.generateSecret(), "ECDH-ES+A256KW");
    byte[] cek = new byte[32];
    new SecureRandom().nextBytes(cek);
    Cipher kw = Cipher.getInstance("AESWrap");
    kw.init(Cipher.WRAP_MODE, new SecretKeySpec(kek, "AES"));
    byte[] encryptedKey = kw.wrap(new SecretKeySpec(cek, "AES"));
    ECPoint w = ((ECPublicKey) eph.getPublic()).getW();
    String header =
        "{\"alg\":\"ECDH-ES+A256KW\",\"enc\":\"A256GCM\",\"epk\":{\"crv\":\"P-256\",\"kty\":\"EC\","
            + "\"x\":\""
            + ReferenceKbsClient.b64url(ReferenceKbsClient.unsigned(w.getAffineX(), 32))
            + "\",\"y\":\""
            + ReferenceKbsClient.b64url(ReferenceKbsClient.unsigned(w.getAffineY(), 32))
            + "\"}}";
    String protectedB64 = ReferenceKbsClient.b64url(header.getBytes(StandardCharsets.UTF_8));
    byte[] iv = new byte[12];
    new SecureRandom().nextBytes(iv);
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, iv));
    gcm.updateAAD(protectedB64.getBytes(StandardCharsets.US_ASCII));
    byte[] out = gcm.doFinal(payload);
    ByteBuffer all = ByteBuffer.wrap(out);
    byte[] ct = new byte[out.length - 16];
    byte[] tag = new byte[16];
    all.get(ct).get(tag);
    ObjectNode r = RawKbs.JSON.createObjectNode();
    r.put("protected", protectedB64);
    r.put("encrypted_key", ReferenceKbsClient.b64url(encryptedKey));
    r.put("iv", ReferenceKbsClient.b64url(iv));
    r.put("ciphertext", ReferenceKbsClient.b64url(ct));
    r.put("tag", ReferenceKbsClient.b64url(tag));
    return r.toString();
  }

  private static String cookie(Request request) {
    List<String> values = new ArrayList<>(request.getHeaders().getValuesList(HttpHeader.COOKIE));
    for (String v : values) {
      for (String part : v.split(";")) {
        String[] kv = part.trim().split("=", 2);
        if (kv.length == 2 && kv[0].equals("kbs-session-id")) {
          return kv[1];
        }
      }
    }
    return null;
  }

  /** {@code ResponseError for Error}: {type, detail}, no content type. */
  private static void error(
      Response response, Callback callback, int status, String variant, String detail) {
    ObjectNode info = RawKbs.JSON.createObjectNode();
    info.put("type", ERRORS + variant);
    info.put("detail", detail);
    send(response, callback, status, null, info.toString());
  }

  private static void send(
      Response response, Callback callback, int status, String type, String body) {
    response.setStatus(status);
    if (type != null) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    }
    Content.Sink.write(response, true, body, callback);
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
