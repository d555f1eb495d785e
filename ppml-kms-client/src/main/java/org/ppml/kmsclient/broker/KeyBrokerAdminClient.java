package org.ppml.kmsclient.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.PrimaryKeyInfo;
import org.ppml.crypto.kms.WrappedKey;

/**
 * A client of the broker's admin API ({@code /admin/v1/}), authenticated by an admin token. The
 * token is held only in this object and never printed by {@code toString}.
 */
public final class KeyBrokerAdminClient {
  private final BrokerHttp http;
  private final String adminToken;

  public KeyBrokerAdminClient(URI baseUrl, SSLContext tls, String adminToken, Duration timeout) {
    this.http = new BrokerHttp(baseUrl, tls, timeout);
    this.adminToken = adminToken.trim();
  }

  /** Creates a key; {@code policyJson} may be null for the strict default policy. */
  public PrimaryKeyInfo createKey(String name, String policyJson) throws KeyBrokerException {
    ObjectNode body = BrokerHttp.JSON.createObjectNode().put("name", name);
    if (policyJson != null) {
      body.set("policy", parse(policyJson));
    }
    return keyInfo(http.send("POST", "/admin/v1/keys", adminToken, null, body).body());
  }

  public List<PrimaryKeyInfo> listKeys() throws KeyBrokerException {
    List<PrimaryKeyInfo> out = new ArrayList<>();
    for (JsonNode k :
        http.send("GET", "/admin/v1/keys", adminToken, null, null).body().path("keys")) {
      out.add(keyInfo(k));
    }
    return out;
  }

  public PrimaryKeyInfo rotateKey(String name) throws KeyBrokerException {
    return keyInfo(
        http.send(
                "POST",
                "/admin/v1/keys/" + name + "/rotate",
                adminToken,
                null,
                BrokerHttp.JSON.createObjectNode())
            .body());
  }

  public PrimaryKeyInfo disableKey(String name) throws KeyBrokerException {
    return keyInfo(
        http.send(
                "POST",
                "/admin/v1/keys/" + name + "/disable",
                adminToken,
                null,
                BrokerHttp.JSON.createObjectNode())
            .body());
  }

  public PrimaryKeyInfo enableKey(String name) throws KeyBrokerException {
    return keyInfo(
        http.send(
                "POST",
                "/admin/v1/keys/" + name + "/enable",
                adminToken,
                null,
                BrokerHttp.JSON.createObjectNode())
            .body());
  }

  /** Sets a key's policy (policy JSON, docs/architecture.md); returns the policy as stored. */
  public JsonNode setPolicy(String name, String policyJson) throws KeyBrokerException {
    return http.send(
            "PUT", "/admin/v1/keys/" + name + "/policy", adminToken, null, parse(policyJson))
        .body();
  }

  public JsonNode getPolicy(String name) throws KeyBrokerException {
    return http.send("GET", "/admin/v1/keys/" + name + "/policy", adminToken, null, null).body();
  }

  /**
   * A KBS resource as stored: its content and its policy (null when it has none). The caller zeroes
   * the content; the broker audits the read.
   *
   * @param content the resource bytes
   * @param policy the release policy, or null
   */
  public record StoredResource(byte[] content, JsonNode policy) {
    @Override
    public String toString() {
      return "StoredResource[" + content.length + " bytes, redacted]";
    }
  }

  /** Reads back the KBS resource {@code repo/type/tag}, as an administrator (not attested). */
  public StoredResource getResource(String path) throws KeyBrokerException {
    JsonNode body = http.send("GET", "/admin/v1/resources/" + path, adminToken, null, null).body();
    byte[] content;
    try {
      content = Base64.getDecoder().decode(body.path("content").asText(""));
    } catch (IllegalArgumentException e) {
      throw new KeyBrokerException(
          KmsException.Reason.UNAVAILABLE,
          200,
          null,
          "the broker's resource content is not base64",
          List.of());
    }
    JsonNode policy = body.get("policy");
    return new StoredResource(content, policy == null || policy.isNull() ? null : policy);
  }

  /** Stores a KBS resource {@code repo/type/tag}; {@code policyJson} may be null. */
  public void putResource(String path, byte[] content, String policyJson)
      throws KeyBrokerException {
    ObjectNode body =
        BrokerHttp.JSON
            .createObjectNode()
            .put("content", Base64.getEncoder().encodeToString(content));
    if (policyJson != null) {
      body.set("policy", parse(policyJson));
    }
    http.send("PUT", "/admin/v1/resources/" + path, adminToken, null, body);
  }

  /**
   * Every KBS resource the broker holds: {@code {path, policy (whether it has one), updated}} per
   * resource, sorted by path; never contents.
   */
  public List<JsonNode> listResources() throws KeyBrokerException {
    JsonNode body = http.send("GET", "/admin/v1/resources", adminToken, null, null).body();
    List<JsonNode> out = new ArrayList<>();
    body.path("resources").forEach(out::add);
    return out;
  }

  /** Deletes the KBS resource {@code repo/type/tag}; a missing one is {@code KEY_NOT_FOUND}. */
  public void deleteResource(String path) throws KeyBrokerException {
    http.send("DELETE", "/admin/v1/resources/" + path, adminToken, null, null);
  }

  /**
   * Every audit record at or after {@code since} (null: all), oldest first, as the broker's JSON
   * objects. The whole log is held in memory; {@link #audit(Instant, Consumer)} streams it.
   */
  public List<JsonNode> audit(Instant since) throws KeyBrokerException {
    List<JsonNode> out = new ArrayList<>();
    audit(since, out::add);
    return out;
  }

  /**
   * Hands every audit record at or after {@code since} (null: all) to {@code each}, oldest first,
   * one page at a time as the pages arrive, so only one page is held at once. Records written while
   * this runs may or may not be included.
   */
  public void audit(Instant since, Consumer<JsonNode> each) throws KeyBrokerException {
    String base =
        "/admin/v1/audit?"
            + (since == null
                ? ""
                : "since=" + URLEncoder.encode(since.toString(), StandardCharsets.UTF_8) + "&");
    long after = 0;
    while (true) {
      JsonNode page = http.send("GET", base + "after=" + after, adminToken, null, null).body();
      page.path("records").forEach(each);
      JsonNode next = page.path("next");
      if (next.isMissingNode() || next.isNull()) {
        return;
      }
      // A cursor that does not move forward would make this loop forever.
      if (!next.isIntegralNumber() || !next.canConvertToLong() || next.longValue() <= after) {
        throw new KeyBrokerException(
            KmsException.Reason.UNAVAILABLE,
            "the key broker at "
                + http.base()
                + " answered an audit page whose next is not a record id above "
                + after
                + "; refusing to page on",
            null);
      }
      after = next.longValue();
    }
  }

  /**
   * Re-wraps {@code wrapped} under the newest version of {@code toKey} inside the broker; the data
   * key never reaches this client. A wrapped key that does not authenticate is {@code
   * UNWRAP_FAILED}; a disabled source or target key is {@code DENIED}.
   */
  public WrappedKey rewrap(WrappedKey wrapped, String toKey) throws KeyBrokerException {
    ObjectNode body =
        BrokerHttp.JSON
            .createObjectNode()
            .put("keyName", wrapped.keyName())
            .put("keyVersion", wrapped.keyVersion())
            .put("wrappedKey", Base64.getEncoder().encodeToString(wrapped.wrapped()))
            .put("toKey", toKey);
    return KeyBrokerClient.wrappedKeyOf(
        http.send("POST", "/admin/v1/rewrap", adminToken, null, body).body());
  }

  /** Issues a writer token (wrapped data keys only). */
  public String issueWriterToken(String label) throws KeyBrokerException {
    return http.send(
            "POST",
            "/admin/v1/writer-tokens",
            adminToken,
            null,
            BrokerHttp.JSON.createObjectNode().put("label", label))
        .body()
        .path("token")
        .asText();
  }

  private static JsonNode parse(String json) throws KeyBrokerException {
    try {
      return BrokerHttp.JSON.readTree(json);
    } catch (IOException e) {
      throw new KeyBrokerException(
          KmsException.Reason.INVALID_ARGUMENT, 0, null, "policy is not valid JSON", List.of());
    }
  }

  private static PrimaryKeyInfo keyInfo(JsonNode k) {
    List<Integer> versions = new ArrayList<>();
    k.path("versions").forEach(v -> versions.add(v.intValue()));
    return new PrimaryKeyInfo(
        k.path("name").asText(),
        k.path("primaryVersion").intValue(),
        versions,
        k.path("enabled").booleanValue(),
        Instant.parse(k.path("created").asText()));
  }

  @Override
  public String toString() {
    return "KeyBrokerAdminClient[" + http.base() + ", token redacted]";
  }
}
