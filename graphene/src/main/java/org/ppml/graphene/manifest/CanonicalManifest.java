package org.ppml.graphene.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * A manifest in the form Gramine's own tools write it: what {@code gramine-manifest} renders and
 * {@code gramine-sgx-sign} writes as {@code .manifest.sgx} and measures.
 *
 * <p>Both tools load the manifest with {@code tomli}, let {@code graminelibos.Manifest} add its
 * defaults ({@code sgx.trusted_files}, {@code max_threads}, {@code isvprodid}, {@code isvsvn},
 * {@code remote_attestation}, {@code debug}, {@code enable_stats}, {@code edmm_enable}, {@code
 * enclave_size}, {@code use_exinfo}, {@code cpu_features.*}, in that order, each appended where it
 * is missing), turn every trusted file into {@code {uri, sha256}}, and write the result with {@code
 * tomli_w}. Bytes already in that form come out of both tools unchanged, so the MRENCLAVE this
 * project computes for them is the one {@code gramine-sgx-sign} computes. Checked against Gramine
 * master ff71d7a ("1.9post~UNRELEASED", 2025-06-20) with Debian 12's tomli 2.0.1 and tomli_w 1.0.0
 * (GramineToolInteropTest).
 */
public final class CanonicalManifest {

  /**
   * Applies Gramine's defaults to {@code root} (in place) and writes it as Gramine's tools do.
   *
   * @param root the manifest tree; every trusted file must already carry its sha256, since this
   *     does not read files
   * @return the UTF-8 manifest bytes
   * @throws GramineManifestException if a trusted file has no hash, or a value is not a manifest
   *     value
   */
  public static byte[] render(ObjectNode root) throws GramineManifestException {
    applyDefaults(root);
    try {
      return TomliWriter.dumps(root).getBytes(StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new GramineManifestException(e.getMessage());
    }
  }

  /** graminelibos.Manifest.__init__ and expand_all_trusted_files, minus the hashing. */
  static void applyDefaults(ObjectNode root) throws GramineManifestException {
    ObjectNode sgx = table(root, "sgx");
    if (!sgx.has("trusted_files")) {
      sgx.putArray("trusted_files");
    }
    setDefault(sgx, "max_threads", 4);
    setDefault(sgx, "isvprodid", 0);
    setDefault(sgx, "isvsvn", 0);
    setDefault(sgx, "remote_attestation", "none");
    setDefault(sgx, "debug", false);
    setDefault(sgx, "enable_stats", false);
    setDefault(sgx, "edmm_enable", false);
    JsonNode edmm = sgx.get("edmm_enable");
    setDefault(sgx, "enclave_size", edmm.isBoolean() && edmm.booleanValue() ? "1024G" : "256M");
    setDefault(sgx, "use_exinfo", false);
    ObjectNode cpu = table(sgx, "cpu_features");
    setDefault(cpu, "avx", "unspecified");
    setDefault(cpu, "avx512", "unspecified");
    setDefault(cpu, "amx", "unspecified");
    setDefault(cpu, "mpx", "disabled");
    setDefault(cpu, "pkru", "disabled");

    JsonNode files = sgx.get("trusted_files");
    if (!files.isArray()) {
      throw new GramineManifestException("sgx.trusted_files: must be an array");
    }
    ArrayNode normalised = sgx.arrayNode();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (JsonNode tf : files) {
      JsonNode uri = tf.path("uri");
      JsonNode sha = tf.path("sha256");
      if (!tf.isObject() || !uri.isTextual() || !sha.isTextual() || tf.size() != 2) {
        throw new GramineManifestException(
            "sgx.trusted_files: every entry needs exactly a uri and its sha256, got " + tf);
      }
      // expand_all_trusted_files keeps the first of two equal entries.
      if (seen.add(uri.textValue())) {
        ObjectNode e = normalised.addObject();
        e.put("uri", uri.textValue());
        e.put("sha256", sha.textValue());
      }
    }
    sgx.set("trusted_files", normalised);

    ObjectNode entry = table(table(root, "loader"), "entrypoint");
    if (!entry.path("uri").isTextual() || !entry.path("sha256").isTextual()) {
      throw new GramineManifestException("loader.entrypoint needs its uri and sha256");
    }
  }

  private static ObjectNode table(ObjectNode parent, String key) throws GramineManifestException {
    JsonNode n = parent.get(key);
    if (n == null) {
      return parent.putObject(key);
    }
    if (!n.isObject()) {
      throw new GramineManifestException(key + ": must be a table");
    }
    return (ObjectNode) n;
  }

  private static void setDefault(ObjectNode t, String key, Object value) {
    if (t.has(key)) {
      return;
    }
    if (value instanceof Integer i) {
      t.put(key, i);
    } else if (value instanceof Boolean b) {
      t.put(key, b);
    } else {
      t.put(key, (String) value);
    }
  }

  private CanonicalManifest() {}
}
