package org.ppml.graphene.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code sgx.*} settings of a Gramine manifest that fix the enclave's measurement and
 * SIGSTRUCT, with Gramine v1.9's defaults applied.
 *
 * @param enclaveSize {@code sgx.enclave_size} in bytes (default 256M, or 1024G with EDMM)
 * @param maxThreads {@code sgx.max_threads} (default 4)
 * @param edmmEnable {@code sgx.edmm_enable} (default false)
 * @param debug {@code sgx.debug} (default false)
 * @param useExinfo {@code sgx.use_exinfo} (default false)
 * @param isvProdId {@code sgx.isvprodid} (default 0)
 * @param isvSvn {@code sgx.isvsvn} (default 0)
 * @param remoteAttestation {@code sgx.remote_attestation} (default "none")
 * @param cpuFeatures {@code sgx.cpu_features}: feature name to "required", "disabled" or
 *     "unspecified"; empty when the deprecated {@code require_*} keys are used
 * @param requiredFeatures deprecated {@code sgx.require_avx} and friends that are true
 */
public record GramineSgxSettings(
    long enclaveSize,
    int maxThreads,
    boolean edmmEnable,
    boolean debug,
    boolean useExinfo,
    int isvProdId,
    int isvSvn,
    String remoteAttestation,
    Map<String, String> cpuFeatures,
    List<String> requiredFeatures) {

  /** Largest manifest accepted, so a hostile file cannot exhaust memory in the TOML parser. */
  public static final int MAX_MANIFEST_BYTES = 32 * 1024 * 1024;

  /** Largest {@code sgx.max_threads} accepted. */
  public static final int MAX_THREADS = 16384;

  /** Largest enclave size accepted: the 47-bit user address space. */
  public static final long MAX_ENCLAVE_SIZE = 1L << 47;

  private static final List<String> DEPRECATED_REQUIRE =
      List.of("require_avx", "require_avx512", "require_mpx", "require_pkru", "require_amx");

  /** Copies the collections. */
  public GramineSgxSettings {
    cpuFeatures = Map.copyOf(cpuFeatures);
    requiredFeatures = List.copyOf(requiredFeatures);
  }

  /**
   * Reads the settings from manifest bytes (a {@code .manifest} or {@code .manifest.sgx}).
   *
   * @param manifest the manifest TOML, UTF-8
   * @return the settings with defaults applied
   * @throws GramineManifestException if the TOML is malformed or a setting is invalid
   */
  public static GramineSgxSettings fromManifest(byte[] manifest) throws GramineManifestException {
    if (manifest.length > MAX_MANIFEST_BYTES) {
      throw new GramineManifestException(
          "manifest is " + manifest.length + " bytes, more than " + MAX_MANIFEST_BYTES);
    }
    JsonNode root;
    try {
      root = new TomlMapper().readTree(manifest);
    } catch (IOException | RuntimeException e) {
      throw new GramineManifestException(
          "manifest is not valid TOML: " + firstLine(e.getMessage()), e);
    }
    if (root == null || !root.isObject()) {
      throw new GramineManifestException("manifest is not a TOML table");
    }
    JsonNode sgx = root.path("sgx");
    if (!sgx.isMissingNode() && !sgx.isObject()) {
      throw new GramineManifestException("sgx: must be a table");
    }
    boolean edmm = bool(sgx, "edmm_enable", false);
    String sizeText = string(sgx, "enclave_size", edmm ? "1024G" : "256M");
    long size = GramineSize.parse("sgx.enclave_size", sizeText);
    if (size <= 0 || Long.bitCount(size) != 1 || size > MAX_ENCLAVE_SIZE) {
      throw new GramineManifestException(
          "sgx.enclave_size: \"" + sizeText + "\" must be a power of two no larger than 128T");
    }
    long threads = integer(sgx, "max_threads", 4);
    if (threads < 1 || threads > MAX_THREADS) {
      throw new GramineManifestException(
          "sgx.max_threads: must be 1.." + MAX_THREADS + ", got " + threads);
    }
    long prodId = integer(sgx, "isvprodid", 0);
    long svn = integer(sgx, "isvsvn", 0);
    if (prodId < 0 || prodId > 0xffff) {
      throw new GramineManifestException("sgx.isvprodid: must be 0..65535, got " + prodId);
    }
    if (svn < 0 || svn > 0xffff) {
      throw new GramineManifestException("sgx.isvsvn: must be 0..65535, got " + svn);
    }
    Map<String, String> features = new LinkedHashMap<>();
    List<String> required = new java.util.ArrayList<>();
    boolean deprecatedUsed = false;
    for (String key : DEPRECATED_REQUIRE) {
      if (sgx.has(key)) {
        deprecatedUsed = true;
        if (bool(sgx, key, false)) {
          required.add(key.substring("require_".length()));
        }
      }
    }
    JsonNode cpu = sgx.path("cpu_features");
    if (deprecatedUsed && !cpu.isMissingNode()) {
      throw new GramineManifestException(
          "sgx.cpu_features cannot coexist with the deprecated sgx.require_* keys");
    }
    if (!deprecatedUsed) {
      features.put("avx", "unspecified");
      features.put("avx512", "unspecified");
      features.put("amx", "unspecified");
      features.put("mpx", "disabled");
      features.put("pkru", "disabled");
      if (!cpu.isMissingNode()) {
        if (!cpu.isObject()) {
          throw new GramineManifestException("sgx.cpu_features: must be a table");
        }
        var fields = cpu.fields();
        while (fields.hasNext()) {
          var f = fields.next();
          if (!f.getValue().isTextual()) {
            throw new GramineManifestException(
                "sgx.cpu_features." + f.getKey() + ": must be a string");
          }
          features.put(f.getKey(), f.getValue().asText());
        }
      }
    }
    return new GramineSgxSettings(
        size,
        (int) threads,
        edmm,
        bool(sgx, "debug", false),
        useExinfo(sgx),
        (int) prodId,
        (int) svn,
        string(sgx, "remote_attestation", "none"),
        features,
        required);
  }

  private static boolean useExinfo(JsonNode sgx) throws GramineManifestException {
    // Gramine v1.9 still honours the deprecated name when the new one is absent.
    if (sgx.has("use_exinfo")) {
      return bool(sgx, "use_exinfo", false);
    }
    return bool(sgx, "require_exinfo", false);
  }

  private static boolean bool(JsonNode parent, String key, boolean dflt)
      throws GramineManifestException {
    JsonNode n = parent.get(key);
    if (n == null) {
      return dflt;
    }
    if (!n.isBoolean()) {
      throw new GramineManifestException("sgx." + key + ": must be true or false");
    }
    return n.booleanValue();
  }

  private static long integer(JsonNode parent, String key, long dflt)
      throws GramineManifestException {
    JsonNode n = parent.get(key);
    if (n == null) {
      return dflt;
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw new GramineManifestException("sgx." + key + ": must be an integer");
    }
    return n.longValue();
  }

  private static String string(JsonNode parent, String key, String dflt)
      throws GramineManifestException {
    JsonNode n = parent.get(key);
    if (n == null) {
      return dflt;
    }
    if (!n.isTextual()) {
      throw new GramineManifestException("sgx." + key + ": must be a string");
    }
    return n.asText();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
