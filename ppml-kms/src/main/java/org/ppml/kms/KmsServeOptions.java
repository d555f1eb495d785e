package org.ppml.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.ppml.attestation.simulated.DevHome;
import org.ppml.crypto.fs.BoundedFile;
import org.ppml.kms.store.MasterKey;
import org.ppml.kms.store.PostgresLocation;
import picocli.CommandLine.Option;

/**
 * The options of {@code kms serve}, declared once: the broker's own {@link KmsServeCommand#main}
 * and the {@code ppml kms serve} subcommand (as a picocli mixin) parse the command line into this
 * object, and {@link #toConfig} merges it with the TOML config file and the environment into a
 * {@link KeyBrokerConfig}. Flags win over the file.
 */
public final class KmsServeOptions {
  /** Default listen address. */
  public static final String DEFAULT_LISTEN = "127.0.0.1:8443";

  /** The most a database password file may hold. */
  private static final int MAX_PASSWORD_FILE = 4096;

  private static final int MAX_CONFIG = 64 * 1024;

  private static final Set<String> CONFIG_KEYS =
      Set.of(
          "listen",
          "data",
          "state",
          "dbPasswordFile",
          "dev",
          "devHome",
          "collateral",
          "tokenLifetimeSeconds",
          "tlsCert",
          "tlsKey",
          "masterKeyFile",
          "pccs",
          "metricsKeyNames");

  @Option(
      names = "--dev",
      description = "Development mode: trust only simulated evidence from the dev home.")
  boolean dev;

  @Option(
      names = {"--dev-home", "--home"},
      paramLabel = "DIR",
      description = "Dev home (simulated SGX PKI and collateral); default ~/.ppml/dev.")
  Path devHome;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "TOML config (listen, data, state, dbPasswordFile, dev, devHome, collateral, pccs, tokenLifetimeSeconds, tlsCert, tlsKey, masterKeyFile, metricsKeyNames); flags win.")
  Path config;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      description =
          "Address to listen on (default " + DEFAULT_LISTEN + "; port 0 picks a free one).")
  String listen;

  @Option(
      names = "--data",
      paramLabel = "DIR|URL",
      description =
          "Data directory for SQLite (default ~/.ppml/kms), or a PostgreSQL database shared by"
              + " replicas: postgresql://USER@HOST:PORT/DB or jdbc:postgresql://HOST:PORT/DB?user=USER"
              + " (password from $"
              + PostgresLocation.PASSWORD_ENVIRONMENT
              + " or --db-password-file, never the URL).")
  String data;

  @Option(
      names = "--state",
      paramLabel = "DIR",
      description =
          "With PostgreSQL: this replica's directory for endpoint.json, the first admin-token"
              + " (if this replica initialises the database) and, by default, master.key.")
  Path state;

  @Option(
      names = "--db-password-file",
      paramLabel = "FILE",
      description =
          "File holding the PostgreSQL password (one line); else $"
              + PostgresLocation.PASSWORD_ENVIRONMENT
              + ".")
  Path dbPasswordFile;

  @Option(
      names = "--collateral",
      paramLabel = "FILE|DIR",
      description =
          "Collateral bundle (or directory of bundles) for production quote verification.")
  Path collateral;

  @Option(
      names = "--pccs",
      paramLabel = "URL",
      description = "PCCS or PCS v4 base URL for production collateral.")
  String pccs;

  @Option(
      names = "--token-lifetime",
      paramLabel = "SECONDS",
      description = "Attestation token lifetime (default 600).")
  Long tokenLifetime;

  @Option(
      names = "--tls-cert",
      paramLabel = "PEM",
      description = "Serve this certificate instead of the self-signed one (with --tls-key).")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "The key of --tls-cert.")
  Path tlsKey;

  @Option(
      names = "--master-key-file",
      paramLabel = "FILE",
      description =
          "Master key file (0600) instead of <data>/master.key (<state>/master.key with"
              + " PostgreSQL); $"
              + MasterKey.ENVIRONMENT
              + " wins over both.")
  Path masterKeyFile;

  @Option(
      names = "--metrics-key-names",
      description =
          "Label releases and denials in /metrics with key names (off by default: a key name can"
              + " say what data it protects).")
  boolean metricsKeyNames;

  /**
   * The configuration these options, the config file they name and {@code environment} describe.
   *
   * @throws IllegalArgumentException for a usage error, naming the option
   * @throws IOException if the config or password file cannot be read
   */
  public KeyBrokerConfig toConfig(Map<String, String> environment) throws IOException {
    JsonNode file = config == null ? null : readConfig(config);
    String listenAt = pick(listen, file, "listen", DEFAULT_LISTEN);
    String dataAt =
        pick(
            data,
            file,
            "data",
            Path.of(System.getProperty("user.home"), ".ppml", "kms").toString());
    String stateAt = pick(state, file, "state", null);
    String passwordFile = pick(dbPasswordFile, file, "dbPasswordFile", null);
    boolean devMode = dev || (file != null && file.path("dev").asBoolean(false));
    String home = pick(devHome, file, "devHome", null);
    String bundle = pick(collateral, file, "collateral", null);
    String pccsUrl = pick(pccs, file, "pccs", null);
    if (bundle != null && pccsUrl != null) {
      throw new IllegalArgumentException("--collateral and --pccs are mutually exclusive");
    }
    long lifetime =
        tokenLifetime != null
            ? tokenLifetime
            : file != null && file.has("tokenLifetimeSeconds")
                ? file.get("tokenLifetimeSeconds").asLong()
                : 600;
    String cert = pick(tlsCert, file, "tlsCert", null);
    String key = pick(tlsKey, file, "tlsKey", null);
    String masterFile = pick(masterKeyFile, file, "masterKeyFile", null);
    boolean keyNamesInMetrics =
        metricsKeyNames || (file != null && file.path("metricsKeyNames").asBoolean(false));

    int colon = listenAt.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("--listen must be HOST:PORT, got " + listenAt);
    }
    String host = listenAt.substring(0, colon).replace("[", "").replace("]", "");
    int port = (int) parseLong(listenAt.substring(colon + 1), "--listen port");
    if (devMode && home == null) {
      home = DevHome.defaultLocation().toString();
    }
    PostgresLocation database = null;
    Path stateDir;
    if (PostgresLocation.isPostgres(dataAt)) {
      if (stateAt == null) {
        throw new IllegalArgumentException(
            "--data " + dataAt.split("[?]")[0] + " needs --state DIR for this replica's files");
      }
      database = PostgresLocation.parse(dataAt, password(passwordFile, environment));
      stateDir = Path.of(stateAt);
    } else {
      if (stateAt != null || passwordFile != null) {
        throw new IllegalArgumentException(
            "--state and --db-password-file go with a PostgreSQL --data; with SQLite, --data DIR"
                + " holds everything");
      }
      stateDir = Path.of(dataAt);
    }
    return KeyBrokerConfig.builder(stateDir)
        .host(host)
        .port(port)
        .dev(devMode ? Path.of(home) : null)
        .collateralFile(bundle == null ? null : Path.of(bundle))
        .pccsUrl(pccsUrl == null ? null : URI.create(pccsUrl))
        .tokenLifetime(Duration.ofSeconds(lifetime))
        .tls(cert == null ? null : Path.of(cert), key == null ? null : Path.of(key))
        .masterKeyValue(environment.get(MasterKey.ENVIRONMENT))
        .masterKeyFile(masterFile == null ? null : Path.of(masterFile))
        .database(database)
        .metricsKeyNames(keyNamesInMetrics)
        .build();
  }

  /** The password from {@code file} (its first line) if given, else from the environment. */
  private static char[] password(String file, Map<String, String> environment) throws IOException {
    if (file != null) {
      byte[] raw = BoundedFile.read(Path.of(file), MAX_PASSWORD_FILE);
      try {
        String text = new String(raw, StandardCharsets.UTF_8);
        int end = text.indexOf('\n');
        String line = end < 0 ? text : text.substring(0, end);
        if (line.endsWith("\r")) {
          line = line.substring(0, line.length() - 1);
        }
        if (line.isEmpty()) {
          throw new IllegalArgumentException("--db-password-file " + file + " is empty");
        }
        return line.toCharArray();
      } finally {
        Arrays.fill(raw, (byte) 0);
      }
    }
    String env = environment.get(PostgresLocation.PASSWORD_ENVIRONMENT);
    return env == null || env.isEmpty() ? null : env.toCharArray();
  }

  private static String pick(Object flag, JsonNode file, String key, String fallback) {
    if (flag != null) {
      return flag.toString();
    }
    return file != null && file.hasNonNull(key) ? file.get(key).asText() : fallback;
  }

  private static JsonNode readConfig(Path path) throws IOException {
    JsonNode n =
        new TomlMapper()
            .readTree(new String(BoundedFile.read(path, MAX_CONFIG), StandardCharsets.UTF_8));
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!CONFIG_KEYS.contains(k)) {
        throw new IllegalArgumentException(
            path + ": unknown key '" + k + "'; known: " + CONFIG_KEYS);
      }
    }
    return n;
  }

  private static long parseLong(String s, String what) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " must be a number, got " + s);
    }
  }
}
