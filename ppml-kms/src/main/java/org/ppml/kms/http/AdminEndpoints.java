package org.ppml.kms.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import org.ppml.attestation.policy.Policy;
import org.ppml.attestation.policy.PolicyFormatException;
import org.ppml.crypto.kms.PrimaryKeyInfo;
import org.ppml.crypto.kms.local.LocalKeyWrap;
import org.ppml.kms.BrokerException;
import org.ppml.kms.BrokerException.Kind;
import org.ppml.kms.audit.AuditLog;
import org.ppml.kms.audit.AuditPage;
import org.ppml.kms.audit.AuditRecord;
import org.ppml.kms.release.KeyReleaseService;
import org.ppml.kms.store.ApiTokenStore;
import org.ppml.kms.store.KeyStoreConflict;
import org.ppml.kms.store.PrimaryKeyStore;
import org.ppml.kms.store.ResourceStore;
import org.ppml.kms.store.StoreException;

/**
 * The admin API under {@code /admin/v1/}, for holders of an admin token:
 *
 * <pre>
 * GET  keys                      POST keys {name, policy?}
 * POST keys/{name}/rotate        POST keys/{name}/disable     POST keys/{name}/enable
 * GET  keys/{name}/policy        PUT  keys/{name}/policy (policy JSON)
 * PUT  resources/{repo}/{type}/{tag} {content: base64, policy?}    GET resources/{repo}/{type}/{tag}
 * GET  resources (paths only)    DELETE resources/{repo}/{type}/{tag}
 * GET  audit?since=RFC3339&amp;after=ID&amp;limit=N   (one page: {records, next})
 * POST writer-tokens {label}
 * POST rewrap {keyName, keyVersion, wrappedKey: base64, toKey?}
 * </pre>
 *
 * Admin actions are audited too. Rewrap returns only the new wrapped key: an administrator moves
 * file headers to a rotated key without ever holding a data key.
 */
final class AdminEndpoints {
  static final String PREFIX = "/admin/v1/";
  private static final int BODY = 64 * 1024;
  private static final int RESOURCE_BODY = ResourceStore.MAX_RESOURCE * 4 / 3 + BODY;
  // Clients read at most 4 MiB of an answer. A page of typical records is about 0.5 MiB, but
  // records with long violation lists must not push a page near that bound, so a page also ends
  // after this many bytes of records (always holding at least one).
  private static final int AUDIT_PAGE_BYTES = 1 << 20;

  private final PrimaryKeyStore keys;
  private final ResourceStore resources;
  private final KeyReleaseService release;
  private final ApiTokenStore apiTokens;
  private final AuditLog audit;
  private final BearerTokens tokens;

  AdminEndpoints(
      PrimaryKeyStore keys,
      ResourceStore resources,
      KeyReleaseService release,
      ApiTokenStore apiTokens,
      AuditLog audit,
      BearerTokens tokens) {
    this.keys = keys;
    this.resources = resources;
    this.release = release;
    this.apiTokens = apiTokens;
    this.audit = audit;
    this.tokens = tokens;
  }

  void handle(HttpCall call) throws BrokerException, StoreException {
    tokens.apiRole(call, EnumSet.of(ApiTokenStore.Role.ADMIN));
    String[] p = call.path().substring(PREFIX.length()).split("/", -1);
    String m = call.method();
    try {
      if (p.length == 1 && p[0].equals("keys")) {
        if (m.equals("GET")) {
          listKeys(call);
        } else {
          KbsEndpoints.requireMethod(call, "POST");
          createKey(call);
        }
      } else if (p.length == 3 && p[0].equals("keys")) {
        keyAction(call, p[1], p[2]);
      } else if (p.length == 4 && p[0].equals("resources")) {
        resource(call, p[1], p[2], p[3]);
      } else if (p.length == 1 && p[0].equals("resources")) {
        KbsEndpoints.requireMethod(call, "GET");
        listResources(call);
      } else if (p.length == 1 && p[0].equals("audit")) {
        KbsEndpoints.requireMethod(call, "GET");
        queryAudit(call);
      } else if (p.length == 1 && p[0].equals("writer-tokens")) {
        KbsEndpoints.requireMethod(call, "POST");
        writerToken(call);
      } else if (p.length == 1 && p[0].equals("rewrap")) {
        KbsEndpoints.requireMethod(call, "POST");
        rewrap(call);
      } else {
        throw new BrokerException(Kind.NOT_FOUND, "no admin endpoint " + call.path());
      }
    } catch (KeyStoreConflict e) {
      throw switch (e.kind()) {
        case EXISTS -> new BrokerException(Kind.CONFLICT, e.getMessage());
        case NOT_FOUND -> new BrokerException(Kind.UNKNOWN_KEY, e.getMessage());
        case INVALID_NAME -> new BrokerException(Kind.BAD_REQUEST, e.getMessage());
      };
    }
  }

  private void listKeys(HttpCall call) throws StoreException {
    ObjectNode out = HttpCall.JSON.createObjectNode();
    ArrayNode a = out.putArray("keys");
    for (PrimaryKeyInfo k : keys.list()) {
      a.add(keyJson(k));
    }
    call.json(200, out);
  }

  private void createKey(HttpCall call) throws BrokerException, StoreException, KeyStoreConflict {
    JsonNode body = call.jsonBody(BODY);
    String name = JsonFields.text(body, "name", 128);
    String policy =
        body.has("policy") && !body.get("policy").isNull()
            ? checkedPolicy(body.get("policy"))
            : null;
    PrimaryKeyInfo k =
        keys.create(
            name,
            policy,
            audit.recording(
                created -> adminRecord(call, "admin.create-key", name, created.primaryVersion())));
    call.json(201, keyJson(k));
  }

  private void keyAction(HttpCall call, String name, String action)
      throws BrokerException, StoreException, KeyStoreConflict {
    switch (action) {
      case "rotate" -> {
        KbsEndpoints.requireMethod(call, "POST");
        PrimaryKeyInfo k =
            keys.rotate(
                name,
                audit.recording(
                    rotated ->
                        adminRecord(call, "admin.rotate-key", name, rotated.primaryVersion())));
        call.json(200, keyJson(k));
      }
      case "disable", "enable" -> {
        KbsEndpoints.requireMethod(call, "POST");
        PrimaryKeyInfo k =
            keys.setEnabled(
                name,
                action.equals("enable"),
                audit.recording(
                    changed -> adminRecord(call, "admin." + action + "-key", name, null)));
        call.json(200, keyJson(k));
      }
      case "policy" -> {
        if (call.method().equals("GET")) {
          if (keys.info(name).isEmpty()) {
            throw new BrokerException(Kind.UNKNOWN_KEY, "no key '" + name + "'");
          }
          String json = keys.policy(name).orElse(null);
          call.json(200, json == null ? Policy.defaults().toJson() : tree(json));
        } else {
          KbsEndpoints.requireMethod(call, "PUT");
          String policy = checkedPolicy(call.jsonBody(BODY));
          keys.setPolicy(
              name,
              policy,
              audit.recording(changed -> adminRecord(call, "admin.set-policy", name, null)));
          call.json(200, tree(policy));
        }
      }
      default -> throw new BrokerException(Kind.NOT_FOUND, "no key action '" + action + "'");
    }
  }

  private void resource(HttpCall call, String repo, String type, String tag)
      throws BrokerException, StoreException {
    if (!ResourceStore.validPath(repo, type, tag)) {
      throw new BrokerException(Kind.BAD_REQUEST, "resource path must be <repo>/<type>/<tag>");
    }
    String path = repo + "/" + type + "/" + tag;
    if (call.method().equals("DELETE")) {
      if (!resources.delete(path)) {
        throw new BrokerException(Kind.UNKNOWN_KEY, "no resource " + path);
      }
      adminAudit(call, "admin.delete-resource", path, null);
      call.json(200, HttpCall.JSON.createObjectNode().put("path", path).put("deleted", true));
      return;
    }
    if (call.method().equals("GET")) {
      ResourceStore.Resource r =
          resources
              .get(path)
              .orElseThrow(() -> new BrokerException(Kind.UNKNOWN_KEY, "no resource " + path));
      ObjectNode out = HttpCall.JSON.createObjectNode();
      out.put("content", Base64.getEncoder().encodeToString(r.content()));
      Arrays.fill(r.content(), (byte) 0);
      if (r.policyJson() != null) {
        out.set("policy", tree(r.policyJson()));
      }
      adminAudit(call, "admin.get-resource", path, null);
      call.json(200, out);
      return;
    }
    KbsEndpoints.requireMethod(call, "PUT");
    JsonNode body = call.jsonBody(RESOURCE_BODY);
    byte[] content = JsonFields.base64(body, "content", ResourceStore.MAX_RESOURCE);
    String policy =
        body.has("policy") && !body.get("policy").isNull()
            ? checkedPolicy(body.get("policy"))
            : null;
    try {
      resources.put(
          path,
          content,
          policy,
          audit.recording(stored -> adminRecord(call, "admin.put-resource", stored, null)));
    } finally {
      Arrays.fill(content, (byte) 0);
    }
    call.json(200, HttpCall.JSON.createObjectNode().put("path", path));
  }

  /** Every resource's path, whether it has a policy, and when it was stored; never contents. */
  private void listResources(HttpCall call) throws BrokerException, StoreException {
    ObjectNode out = HttpCall.JSON.createObjectNode();
    var list = out.putArray("resources");
    for (ResourceStore.Listed r : resources.list()) {
      list.addObject()
          .put("path", r.path())
          .put("policy", r.hasPolicy())
          .put("updated", r.updated());
    }
    adminAudit(call, "admin.list-resources", null, null);
    call.json(200, out);
  }

  private void queryAudit(HttpCall call) throws BrokerException, StoreException {
    Instant since = null;
    String s = call.queryParameter("since");
    if (s != null) {
      try {
        since = Instant.parse(s);
      } catch (DateTimeParseException e) {
        throw new BrokerException(Kind.BAD_REQUEST, "since must be an RFC 3339 instant");
      }
    }
    long after =
        longParameter(call, "after", 0, 0, "after must be a record id (an integer, 0 or more)");
    long limit =
        longParameter(call, "limit", AuditLog.MAX_PAGE, 1, "limit must be an integer, 1 or more");
    // A larger limit is capped rather than refused: next tells the client the rest is there.
    AuditPage page = audit.page(since, after, (int) Math.min(limit, AuditLog.MAX_PAGE));
    ObjectNode out = HttpCall.JSON.createObjectNode();
    ArrayNode a = out.putArray("records");
    Long next = page.next();
    long bytes = 0;
    for (AuditRecord r : page.records()) {
      ObjectNode json = auditJson(r);
      bytes += jsonBytes(json);
      if (bytes > AUDIT_PAGE_BYTES && !a.isEmpty()) {
        next = a.get(a.size() - 1).get("id").longValue();
        break;
      }
      a.add(json);
    }
    out.put("next", next);
    call.json(200, out);
  }

  /**
   * The query parameter {@code name} as an integer of {@code min} or more, or {@code absent}
   * without it.
   */
  private static long longParameter(
      HttpCall call, String name, long absent, long min, String message) throws BrokerException {
    String v = call.queryParameter(name);
    if (v == null) {
      return absent;
    }
    try {
      long n = Long.parseLong(v);
      if (n >= min) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Reported below with the same message as a value out of range.
    }
    throw new BrokerException(Kind.BAD_REQUEST, message);
  }

  private static int jsonBytes(ObjectNode json) {
    try {
      return HttpCall.JSON.writeValueAsBytes(json).length;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("audit record not serialisable", e);
    }
  }

  private void writerToken(HttpCall call) throws BrokerException, StoreException {
    JsonNode body = call.jsonBody(BODY);
    String label = body.has("label") ? JsonFields.text(body, "label", 200) : "writer";
    String token =
        apiTokens.issue(
            ApiTokenStore.Role.WRITER,
            label,
            audit.recording(role -> adminRecord(call, "admin.issue-writer-token", null, null)));
    call.json(201, HttpCall.JSON.createObjectNode().put("token", token).put("label", label));
  }

  private void rewrap(HttpCall call) throws BrokerException, StoreException {
    JsonNode body = call.jsonBody(BODY);
    String keyName = JsonFields.text(body, "keyName", 128);
    int keyVersion = JsonFields.integer(body, "keyVersion", 1, Integer.MAX_VALUE);
    byte[] wrapped = JsonFields.base64(body, "wrappedKey", 4 * LocalKeyWrap.WRAPPED_LENGTH);
    String toKey =
        body.has("toKey") && !body.get("toKey").isNull()
            ? JsonFields.text(body, "toKey", 128)
            : keyName;
    KeyReleaseService.WrappedDataKey k =
        release.rewrap("admin token", keyName, keyVersion, wrapped, toKey, call.peer());
    ObjectNode out = HttpCall.JSON.createObjectNode();
    out.put("keyName", k.keyName());
    out.put("keyVersion", k.keyVersion());
    out.put("wrappedKey", Base64.getEncoder().encodeToString(k.wrappedKey()));
    call.json(200, out);
  }

  private static String checkedPolicy(JsonNode policy) throws BrokerException {
    if (!policy.isObject()) {
      throw new BrokerException(Kind.BAD_REQUEST, "policy must be a JSON object");
    }
    try {
      return Policy.parse(policy.toString().getBytes(StandardCharsets.UTF_8)).toJson().toString();
    } catch (PolicyFormatException e) {
      throw new BrokerException(Kind.BAD_REQUEST, "policy: " + e.getMessage());
    }
  }

  /**
   * Audits an admin read (nothing changed) before the answer goes out; changes write their record
   * in their own transaction through {@link AuditLog#recording}.
   */
  private void adminAudit(HttpCall call, String event, String keyName, Integer version)
      throws StoreException {
    audit.append(adminRecord(call, event, keyName, version));
  }

  private static AuditRecord adminRecord(
      HttpCall call, String event, String keyName, Integer version) {
    return AuditRecord.of(
        call.peer(), event, AuditRecord.ALLOW, keyName, version, false, List.of(), null);
  }

  /** One audit record as JSON, camelCase as the CLI prints it. */
  static ObjectNode auditJson(AuditRecord r) {
    ObjectNode o = HttpCall.JSON.createObjectNode();
    o.put("id", r.id());
    o.put("time", r.time().toString());
    o.put("peer", r.peer());
    o.put("event", r.event());
    o.put("decision", r.decision());
    o.put("keyName", r.keyName());
    o.put("keyVersion", r.keyVersion());
    o.put("tee", r.tee());
    o.put("mrEnclave", r.mrEnclave());
    o.put("mrSigner", r.mrSigner());
    o.put("isvProdId", r.isvProdId());
    o.put("isvSvn", r.isvSvn());
    o.put("debug", r.debug());
    o.put("tcbStatus", r.tcbStatus());
    o.put("simulated", r.simulated());
    ArrayNode v = o.putArray("violations");
    r.violations().forEach(v::add);
    o.put("detail", r.detail());
    return o;
  }

  private static JsonNode tree(String storedJson) throws BrokerException {
    try {
      return HttpCall.JSON.readTree(storedJson);
    } catch (IOException e) {
      throw new BrokerException(Kind.INTERNAL, "stored JSON is unreadable");
    }
  }

  private static ObjectNode keyJson(PrimaryKeyInfo k) {
    ObjectNode o = HttpCall.JSON.createObjectNode();
    o.put("name", k.name());
    o.put("primaryVersion", k.primaryVersion());
    ArrayNode v = o.putArray("versions");
    k.versions().forEach(v::add);
    o.put("enabled", k.enabled());
    o.put("created", k.created().toString());
    return o;
  }
}
