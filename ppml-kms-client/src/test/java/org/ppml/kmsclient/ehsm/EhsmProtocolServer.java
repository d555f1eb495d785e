package org.ppml.kmsclient.ehsm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.ppml.attestation.quote.EnclaveReport;
import org.ppml.attestation.quote.Quote;

/**
 * An eHSM-KMS stand-in on loopback that reproduces the protocol's quirks, written independently of
 * the client: its own canonicalisation (a port of eHSM's {@code params_sort_str}), HTTP 200 with a
 * body code for every error, a ±10-minute timestamp window, a per-app replay cache of timestamps,
 * and a {@code VerifyQuote} that echoes the nonce without binding it, as eHSM does.
 */
final class EhsmProtocolServer implements AutoCloseable {
  static final long WINDOW_MILLIS = 10 * 60 * 1000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final String appId;
  private final byte[] apiKey;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, byte[]> keys = new HashMap<>();
  private final Set<String> disabled = new HashSet<>();
  private final Map<String, String[]> policies = new HashMap<>();
  private final Set<String> seenTimestamps = new HashSet<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private volatile String echoedNonce;
  private volatile String lastNonce;
  private volatile byte[] lastReportData;
  int requests;

  EhsmProtocolServer(String appId, String apiKey, Clock clock) throws IOException {
    this.appId = appId;
    this.apiKey = apiKey.getBytes(StandardCharsets.UTF_8);
    this.clock = clock;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/ehsm", this::handle);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** How many authenticated requests named {@code action}. */
  int calls(String action) {
    AtomicInteger n = calls.get(action);
    return n == null ? 0 : n.get();
  }

  /**
   * From now on, VerifyQuote echoes {@code nonce} whatever the request sent: a replayed verdict.
   */
  void echoNonce(String nonce) {
    echoedNonce = nonce;
  }

  /** The nonce the last VerifyQuote sent, as sent (base64). */
  String lastNonce() {
    return lastNonce;
  }

  /** The REPORT_DATA of the last quote VerifyQuote saw; eHSM itself never looks at it. */
  byte[] lastReportData() {
    return lastReportData.clone();
  }

  /** A port of eHSM's params_sort_str, including JavaScript's loose {@code != ''}. */
  static String sortString(Map<String, Object> params) {
    StringBuilder s = new StringBuilder();
    for (Map.Entry<String, Object> e : new TreeMap<>(params).entrySet()) {
      Object v = e.getValue();
      boolean empty =
          v == null
              || "".equals(v)
              || Boolean.FALSE.equals(v)
              || (v instanceof Number n && n.doubleValue() == 0);
      if (empty) {
        continue;
      }
      if (s.length() > 0) {
        s.append('&');
      }
      @SuppressWarnings("unchecked")
      String rendered =
          v instanceof Map<?, ?> m ? sortString((Map<String, Object>) m) : String.valueOf(v);
      s.append(e.getKey()).append('=').append(rendered);
    }
    return s.toString();
  }

  private void handle(HttpExchange ex) throws IOException {
    requests++;
    ObjectNode reply = JSON.createObjectNode();
    try {
      String action = ex.getRequestURI().getQuery().replace("Action=", "");
      @SuppressWarnings("unchecked")
      Map<String, Object> body =
          JSON.readValue(ex.getRequestBody().readNBytes(64 * 1024), Map.class);
      ObjectNode result = JSON.createObjectNode();
      dispatch(action, body, result);
      reply.put("code", 200).put("message", "success!").set("result", result);
    } catch (Refusal r) {
      reply.put("code", r.code).put("message", r.getMessage()).putObject("result");
    } catch (Exception e) {
      reply.put("code", 400).put("message", "bad request").putObject("result");
    }
    byte[] out = JSON.writeValueAsBytes(reply);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(200, out.length);
    ex.getResponseBody().write(out);
    ex.close();
  }

  private void dispatch(String action, Map<String, Object> r, ObjectNode result) throws Exception {
    Map<String, Object> body = r;
    Object sign = body.get("sign");
    Object timestamp = body.get("timestamp");
    if (!appId.equals(body.get("appid"))
        || !(timestamp instanceof String ts)
        || !(sign instanceof String)) {
      throw new Refusal(400, "Missing required parameters");
    }
    if (ts.length() != 13) {
      throw new Refusal(400, "Timestamp length error");
    }
    if (Math.abs(clock.millis() - Long.parseLong(ts)) >= WINDOW_MILLIS) {
      throw new Refusal(400, "Timestamp error");
    }
    if (!seenTimestamps.add(ts)) {
      throw new Refusal(400, "Timestamp can't be repeated in 20 minutes");
    }
    Map<String, Object> signed = new HashMap<>();
    signed.put("appid", body.get("appid"));
    signed.put("timestamp", ts);
    signed.put("payload", body.get("payload"));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(apiKey, "HmacSHA256"));
    String expected =
        Base64.getEncoder()
            .encodeToString(mac.doFinal(sortString(signed).getBytes(StandardCharsets.UTF_8)));
    if (!MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8),
        ((String) sign).getBytes(StandardCharsets.UTF_8))) {
      throw new Refusal(400, "sign error");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> p =
        body.get("payload") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    calls.computeIfAbsent(action, a -> new AtomicInteger()).incrementAndGet();
    switch (action) {
      case "CreateKey":
        {
          String id = UUID.randomUUID().toString();
          byte[] k = new byte[32];
          random.nextBytes(k);
          keys.put(id, k);
          result.put("keyid", id);
          return;
        }
      case "ListKey":
        {
          var list = result.putArray("list");
          keys.keySet().stream()
              .sorted()
              .forEach(
                  id ->
                      list.addObject()
                          .put("keyid", id)
                          .put("keyState", disabled.contains(id) ? 0 : 1)
                          .put("creationDate", 1700000000000L));
          return;
        }
      case "DisableKey":
        if (!keys.containsKey(p.get("keyid"))) {
          throw new Refusal(400, "keyid not found");
        }
        disabled.add((String) p.get("keyid"));
        return;
      case "GenerateDataKey":
      case "GenerateDataKeyWithoutPlaintext":
        {
          byte[] k = usableKey(p);
          if (k == null) {
            throw new Refusal(400, "keyid not found or disabled");
          }
          byte[] dataKey = new byte[((Number) p.get("keylen")).intValue()];
          random.nextBytes(dataKey);
          result.put("ciphertext", Base64.getEncoder().encodeToString(seal(k, dataKey, aad(p))));
          if (action.equals("GenerateDataKey")) {
            result.put("plaintext", Base64.getEncoder().encodeToString(dataKey));
          }
          return;
        }
      case "Decrypt":
        {
          byte[] k = usableKey(p);
          if (k == null) {
            throw new Refusal(400, "keyid not found or disabled");
          }
          byte[] sealed = Base64.getDecoder().decode((String) p.get("ciphertext"));
          try {
            result.put("plaintext", Base64.getEncoder().encodeToString(open(k, sealed, aad(p))));
            return;
          } catch (Exception e) {
            throw new Refusal(400, "decrypt failed");
          }
        }
      case "UploadQuotePolicy":
        {
          String id = UUID.randomUUID().toString();
          policies.put(
              id, new String[] {(String) p.get("mr_enclave"), (String) p.get("mr_signer")});
          result.put("policyId", id);
          return;
        }
      case "VerifyQuote":
        {
          Quote q = Quote.parse(Base64.getDecoder().decode((String) p.get("quote")));
          String[] policy = policies.get(p.get("policyId"));
          if (policy == null) {
            throw new Refusal(400, "Invalid  policyId.");
          }
          boolean matches =
              q.body() instanceof EnclaveReport report
                  && policy[0].equals(HexFormat.of().formatHex(report.mrEnclave()))
                  && policy[1].equals(HexFormat.of().formatHex(report.mrSigner()));
          lastNonce = (String) p.get("nonce");
          lastReportData = q.body().reportData();
          // As eHSM: the nonce is echoed, never checked against the quote's REPORT_DATA.
          String echo = echoedNonce != null ? echoedNonce : (String) p.get("nonce");
          result.put("result", matches).put("nonce", echo);
          return;
        }
      default:
        throw new Refusal(404, "unknown action");
    }
  }

  private byte[] usableKey(Map<String, Object> p) {
    Object id = p.get("keyid");
    return disabled.contains(id) ? null : keys.get(id);
  }

  private static byte[] aad(Map<String, Object> p) {
    Object a = p.get("aad");
    return a == null ? new byte[0] : Base64.getDecoder().decode((String) a);
  }

  private byte[] seal(byte[] key, byte[] plain, byte[] aad) throws Exception {
    byte[] nonce = new byte[12];
    random.nextBytes(nonce);
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
    c.updateAAD(aad);
    byte[] ct = c.doFinal(plain);
    return ByteBuffer.allocate(12 + ct.length).put(nonce).put(ct).array();
  }

  private static byte[] open(byte[] key, byte[] sealed, byte[] aad) throws Exception {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(
        Cipher.DECRYPT_MODE,
        new SecretKeySpec(key, "AES"),
        new GCMParameterSpec(128, sealed, 0, 12));
    c.updateAAD(aad);
    return c.doFinal(sealed, 12, sealed.length - 12);
  }

  /** eHSM's failure: still HTTP 200, with this code in the body. */
  private static final class Refusal extends Exception {
    private static final long serialVersionUID = 1L;
    final int code;

    Refusal(int code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
