package org.ppml.spark.conf;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.sql.SparkSession;
import org.ppml.crypto.stream.SegmentLayout;

/**
 * The {@code spark.ppml.*} settings, read once from wherever a component sits: a session (the data
 * source), a Hadoop configuration (the FileSystem on an executor), or the executor's {@link
 * SparkEnv}.
 *
 * <p>Nothing here is secret: the KMS URL names a backend, the key file is a path. Key material
 * never passes through this class.
 */
public final class PpmlConf {
  /** KMS schemes that release keys through attestation: the PPML key broker and a generic KBS. */
  public static final java.util.Set<String> BROKER_SCHEMES =
      java.util.Set.of("ppml+https", "kbs+https");

  /** KMS URI, e.g. {@code local:/keys} (dev) or {@code ppml+https://broker:8443}. */
  public static final String KMS_URL = "spark.ppml.kms.url";

  /** SHA-256 fingerprint of the key broker's TLS certificate, which clients pin. */
  public static final String KMS_TLS_SHA256 = "spark.ppml.kms.tlsSha256";

  /**
   * Evidence provider for attested key release ({@code auto}, {@code gramine}, {@code occlum},
   * {@code tdx}, {@code simulated} in dev mode only). Default {@code auto}.
   */
  public static final String ATTESTATION_PROVIDER = "spark.ppml.attestation.provider";

  /** Dev home of {@code ppml dev init} for simulated evidence (dev mode); default ~/.ppml/dev. */
  public static final String DEV_HOME = "spark.ppml.dev.home";

  /**
   * A file holding a broker writer token, so that a driver outside an enclave can start writes
   * ({@code /ppml/v1/wrapped-datakey}). A path, not the token; else env PPML_KMS_WRITER_TOKEN.
   */
  public static final String KMS_WRITER_TOKEN_FILE = "spark.ppml.kms.writerTokenFile";

  /** Key file that seals a local key store (dev mode); falls back to env PPML_KEYSTORE_KEYFILE. */
  public static final String KMS_KEY_FILE = "spark.ppml.kms.keyFile";

  /** Primary key name that wraps the data keys of writes. */
  public static final String KEY = "spark.ppml.key";

  /** {@code dev} or {@code production}. */
  public static final String MODE = "spark.ppml.mode";

  /** Ciphertext segment size of written files, and the one listings assume for reads. */
  public static final String SEGMENT_SIZE = "spark.ppml.segmentSize";

  /**
   * Default encryption of {@code format("ppml")}: {@code file} (whole files) or {@code pme}
   * (Parquet).
   */
  public static final String ENCRYPTION = "spark.ppml.encryption";

  /** How {@code format("ppml")} encrypts. */
  public enum Encryption {
    /** Every file is a PPML v1 file under a {@code ppml+} path. */
    FILE,
    /** Parquet modular encryption: Parquet encrypts columns and footer, keys from the KMS. */
    PME;

    /**
     * Parses {@code file} or {@code pme}, case-insensitively.
     *
     * @param setting what to name in the error
     */
    public static Encryption of(String text, String setting) {
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            setting + " must be 'file' or 'pme', not '" + text + "'");
      }
    }
  }

  /** How strict the integration is about where keys come from. */
  public enum Mode {
    /** Stage 1: a local key store may release keys in this JVM. */
    DEV,
    /** Stage 2: keys come only through attested release; local stores are refused. */
    PRODUCTION
  }

  /**
   * How to reach and attest to the key broker; all optional, none secret.
   *
   * @param tlsSha256 the pinned certificate fingerprint
   * @param provider the evidence provider name
   * @param devHome the dev home for simulated evidence
   * @param writerTokenFile a file holding a writer token
   */
  public record Broker(String tlsSha256, String provider, String devHome, String writerTokenFile) {}

  private final String kmsUrl;
  private final String keyFile;
  private final String key;
  private final Mode mode;
  private final int segmentSize;
  private final Encryption encryption;
  private final Broker broker;

  private PpmlConf(
      String kmsUrl,
      String keyFile,
      String key,
      Mode mode,
      int segmentSize,
      Encryption encryption,
      Broker broker) {
    this.kmsUrl = kmsUrl;
    this.keyFile = keyFile;
    this.key = key;
    this.mode = mode;
    this.segmentSize = segmentSize;
    this.encryption = encryption;
    this.broker = broker;
  }

  /**
   * Reads the settings through {@code lookup}, which returns null for an unset key.
   *
   * @throws IllegalArgumentException on a bad mode or segment size, naming the key
   */
  public static PpmlConf from(Function<String, String> lookup) {
    String modeText = blankToNull(lookup.apply(MODE));
    Mode mode;
    try {
      mode = modeText == null ? Mode.DEV : Mode.valueOf(modeText.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          MODE + " must be 'dev' or 'production', not '" + modeText + "'");
    }
    String sizeText = blankToNull(lookup.apply(SEGMENT_SIZE));
    int segmentSize = SegmentLayout.DEFAULT_SEGMENT_SIZE;
    if (sizeText != null) {
      long parsed;
      try {
        parsed = Long.parseLong(sizeText.trim());
      } catch (NumberFormatException e) {
        parsed = -1;
      }
      if (!SegmentLayout.isValidSegmentSize(parsed)) {
        throw new IllegalArgumentException(
            SEGMENT_SIZE
                + " must be a byte count between "
                + SegmentLayout.MIN_SEGMENT_SIZE
                + " and "
                + SegmentLayout.MAX_SEGMENT_SIZE
                + ", not '"
                + sizeText
                + "'");
      }
      segmentSize = (int) parsed;
    }
    String encryptionText = blankToNull(lookup.apply(ENCRYPTION));
    return new PpmlConf(
        blankToNull(lookup.apply(KMS_URL)),
        blankToNull(lookup.apply(KMS_KEY_FILE)),
        blankToNull(lookup.apply(KEY)),
        mode,
        segmentSize,
        encryptionText == null ? Encryption.FILE : Encryption.of(encryptionText, ENCRYPTION),
        new Broker(
            blankToNull(lookup.apply(KMS_TLS_SHA256)),
            blankToNull(lookup.apply(ATTESTATION_PROVIDER)),
            blankToNull(lookup.apply(DEV_HOME)),
            blankToNull(lookup.apply(KMS_WRITER_TOKEN_FILE))));
  }

  /** The settings of a session: its runtime conf, which includes the SparkConf. */
  public static PpmlConf from(SparkSession session) {
    return from(k -> session.conf().get(k, null));
  }

  /**
   * The settings seen by a FileSystem: the Hadoop configuration first, then the SparkConf of this
   * JVM. RDD jobs ({@code sc.textFile}) ship only {@code spark.hadoop.*} into Hadoop
   * configurations, so without the fallback an executor would not see {@code spark.ppml.*}.
   */
  public static PpmlConf from(Configuration hadoop) {
    SparkEnv env = SparkEnv.get();
    SparkConf spark = env == null ? null : env.conf();
    return from(
        k -> {
          String v = hadoop.get(k);
          return v != null || spark == null ? v : spark.get(k, null);
        });
  }

  /** The KMS URI, or an error that says which setting is missing. */
  public String kmsUrl() {
    if (kmsUrl == null) {
      throw new IllegalStateException(
          "no KMS configured: set " + KMS_URL + " (e.g. local:/path/to/keystore in dev mode)");
    }
    return kmsUrl;
  }

  /** Broker connection and attestation settings. */
  public Broker broker() {
    return broker;
  }

  /**
   * The URI to open the KMS with: the configured URL, plus for the key broker (or a generic KBS)
   * its TLS pin, evidence provider, dev mode and token file as query parameters (none of them
   * secret).
   */
  public String kmsOpenUri() {
    String url = kmsUrl();
    int colon = url.indexOf(':');
    String scheme = colon < 0 ? "" : url.substring(0, colon);
    if (!BROKER_SCHEMES.contains(scheme)) {
      return url;
    }
    boolean kbs = !scheme.equals("ppml+https");
    StringBuilder q = new StringBuilder(url.contains("?") ? "&" : "?");
    if (broker.tlsSha256() != null) {
      q.append("tlsSha256=").append(encode(broker.tlsSha256())).append('&');
    }
    q.append("provider=")
        .append(encode(broker.provider() == null ? "auto" : broker.provider()))
        .append('&');
    if (mode == Mode.DEV) {
      q.append("dev=true&");
    }
    if (broker.devHome() != null) {
      q.append("devHome=").append(encode(broker.devHome())).append('&');
    }
    // A generic KBS needs no writer token: its wrapped form is a reference the driver makes
    // offline.
    if (broker.writerTokenFile() != null && !kbs) {
      q.append("writerTokenFile=").append(encode(broker.writerTokenFile())).append('&');
    }
    return url + q.substring(0, q.length() - 1);
  }

  private static String encode(String v) {
    return java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Whether a KMS is configured at all. */
  public boolean hasKms() {
    return kmsUrl != null;
  }

  /** The key file sealing a local store, from the conf or {@code PPML_KEYSTORE_KEYFILE}. */
  /**
   * Which KMS, opened how, this configuration means: its {@link #kmsOpenUri()} and {@link
   * #keyFile()}. Every JVM-wide cache of KMS clients or released keys (this project's and
   * Parquet's) is partitioned by it, so that a configuration is never served by a KMS opened for
   * another.
   */
  public String kmsIdentity() {
    return kmsOpenUri() + '\n' + keyFile().map(Object::toString).orElse("");
  }

  public Optional<Path> keyFile() {
    String f = keyFile != null ? keyFile : blankToNull(System.getenv("PPML_KEYSTORE_KEYFILE"));
    return Optional.ofNullable(f).map(Path::of);
  }

  /** The primary key for writes, if configured. */
  public Optional<String> key() {
    return Optional.ofNullable(key);
  }

  public Mode mode() {
    return mode;
  }

  public int segmentSize() {
    return segmentSize;
  }

  /** The default encryption of {@code format("ppml")}; option {@code encryption} overrides it. */
  public Encryption encryption() {
    return encryption;
  }

  /** A copy with another write key (a per-write {@code .option("key", …)}). */
  public PpmlConf withKey(String newKey) {
    return new PpmlConf(
        kmsUrl, keyFile, Objects.requireNonNull(newKey), mode, segmentSize, encryption, broker);
  }

  /**
   * The settings as configuration entries, so that a job's Hadoop configuration carries exactly the
   * settings its plan was made with.
   */
  public Map<String, String> toEntries() {
    Map<String, String> out = new LinkedHashMap<>();
    if (kmsUrl != null) {
      out.put(KMS_URL, kmsUrl);
    }
    if (keyFile != null) {
      out.put(KMS_KEY_FILE, keyFile);
    }
    if (key != null) {
      out.put(KEY, key);
    }
    out.put(MODE, mode.name().toLowerCase(Locale.ROOT));
    out.put(SEGMENT_SIZE, Integer.toString(segmentSize));
    putIfSet(out, KMS_TLS_SHA256, broker.tlsSha256());
    putIfSet(out, ATTESTATION_PROVIDER, broker.provider());
    putIfSet(out, DEV_HOME, broker.devHome());
    putIfSet(out, KMS_WRITER_TOKEN_FILE, broker.writerTokenFile());
    return out;
  }

  private static void putIfSet(Map<String, String> out, String key, String value) {
    if (value != null) {
      out.put(key, value);
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  @Override
  public String toString() {
    return "PpmlConf[mode="
        + mode
        + ", kms="
        + kmsUrl
        + ", key="
        + key
        + ", segmentSize="
        + segmentSize
        + "]";
  }
}
