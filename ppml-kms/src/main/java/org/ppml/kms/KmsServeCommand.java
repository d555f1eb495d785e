package org.ppml.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Set;
import org.ppml.attestation.simulated.DevHome;
import org.ppml.kms.http.KeyBrokerServer;
import org.ppml.kms.store.MasterKey;

/**
 * {@code ppml kms serve [--dev [--dev-home DIR]] [--config FILE] [--listen HOST:PORT] [--data DIR]
 * [--collateral FILE|DIR | --pccs URL] [--token-lifetime SECONDS] [--tls-cert PEM --tls-key PEM]
 * [--master-key-file F] [--metrics-key-names]}.
 *
 * <p>The CLI calls {@link #run}; {@link #main} runs it standalone. Flags override the TOML config
 * file, whose keys are {@code listen}, {@code data}, {@code dev}, {@code devHome}, {@code
 * collateral}, {@code pccs}, {@code tokenLifetimeSeconds}, {@code tlsCert}, {@code tlsKey}, {@code
 * masterKeyFile} and {@code metricsKeyNames}. The master key comes from {@code PPML_KMS_MASTER_KEY}
 * if set, else from the key file. Exit codes follow DESIGN.md §9: 2 for usage and start-up errors.
 */
public final class KmsServeCommand {
  /** Default listen address. */
  public static final String DEFAULT_LISTEN = "127.0.0.1:8443";

  private static final Set<String> CONFIG_KEYS =
      Set.of(
          "listen",
          "data",
          "dev",
          "devHome",
          "collateral",
          "tokenLifetimeSeconds",
          "tlsCert",
          "tlsKey",
          "masterKeyFile",
          "pccs",
          "metricsKeyNames");

  private KmsServeCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, true));
  }

  /**
   * Parses {@code args}, starts the broker and, if {@code block}, serves until the process is
   * stopped or the calling thread is interrupted, which stops the broker. Returns the exit code (0
   * after a clean stop).
   */
  public static int run(String[] args, PrintStream out, PrintStream err, boolean block) {
    KeyBrokerConfig config;
    try {
      config = parse(args);
    } catch (IllegalArgumentException | IOException e) {
      err.println("ppml kms serve: " + e.getMessage());
      return 2;
    }
    try {
      // On a terminal the operator sees the first admin token once, as an interactive start
      // should; anywhere else (a container, a service manager) stdout is a log.
      KeyBrokerServer server = KeyBrokerServer.start(config, out, System.console() != null);
      if (block) {
        try {
          server.join();
        } catch (InterruptedException e) {
          // An embedding caller (the CLI in process, a test) stops the broker by interrupting its
          // thread. Stop first, then restore the flag: Jetty's graceful stop waits, and would give
          // up.
          server.close();
          Thread.currentThread().interrupt();
        }
      }
      return 0;
    } catch (Exception e) {
      err.println("ppml kms serve: cannot start: " + e.getMessage());
      return 2;
    }
  }

  /** The configuration {@code args} describe. */
  public static KeyBrokerConfig parse(String[] args) throws IOException {
    JsonNode file = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config")) {
        file = readConfig(Path.of(value(args, ++i, "--config")));
      }
    }
    String listen = text(file, "listen", DEFAULT_LISTEN);
    String data =
        text(file, "data", Path.of(System.getProperty("user.home"), ".ppml", "kms").toString());
    boolean dev = file != null && file.path("dev").asBoolean(false);
    String devHome = text(file, "devHome", null);
    String collateral = text(file, "collateral", null);
    String pccs = text(file, "pccs", null);
    long lifetime =
        file != null && file.has("tokenLifetimeSeconds")
            ? file.get("tokenLifetimeSeconds").asLong()
            : 600;
    String tlsCert = text(file, "tlsCert", null);
    String tlsKey = text(file, "tlsKey", null);
    String masterKeyFile = text(file, "masterKeyFile", null);
    boolean metricsKeyNames = file != null && file.path("metricsKeyNames").asBoolean(false);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config" -> i++;
        case "--dev" -> dev = true;
        case "--dev-home" -> devHome = value(args, ++i, "--dev-home");
        case "--listen" -> listen = value(args, ++i, "--listen");
        case "--data" -> data = value(args, ++i, "--data");
        case "--collateral" -> collateral = value(args, ++i, "--collateral");
        case "--pccs" -> pccs = value(args, ++i, "--pccs");
        case "--token-lifetime" ->
            lifetime = parseLong(value(args, ++i, "--token-lifetime"), "--token-lifetime");
        case "--tls-cert" -> tlsCert = value(args, ++i, "--tls-cert");
        case "--tls-key" -> tlsKey = value(args, ++i, "--tls-key");
        case "--master-key-file" -> masterKeyFile = value(args, ++i, "--master-key-file");
        case "--metrics-key-names" -> metricsKeyNames = true;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    int colon = listen.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("--listen must be HOST:PORT, got " + listen);
    }
    String host = listen.substring(0, colon).replace("[", "").replace("]", "");
    int port = (int) parseLong(listen.substring(colon + 1), "--listen port");
    if (dev && devHome == null) {
      devHome = DevHome.defaultLocation().toString();
    }
    return new KeyBrokerConfig(
        Path.of(data),
        host,
        port,
        dev,
        devHome == null ? null : Path.of(devHome),
        collateral == null ? null : Path.of(collateral),
        pccs == null ? null : URI.create(pccs),
        Duration.ofSeconds(lifetime),
        tlsCert == null ? null : Path.of(tlsCert),
        tlsKey == null ? null : Path.of(tlsKey),
        System.getenv(MasterKey.ENVIRONMENT),
        masterKeyFile == null ? null : Path.of(masterKeyFile),
        metricsKeyNames);
  }

  private static JsonNode readConfig(Path path) throws IOException {
    if (Files.size(path) > 64 * 1024) {
      throw new IllegalArgumentException(path + " is larger than 64 KiB");
    }
    JsonNode n = new TomlMapper().readTree(Files.readString(path));
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!CONFIG_KEYS.contains(k)) {
        throw new IllegalArgumentException(
            path + ": unknown key '" + k + "'; known: " + CONFIG_KEYS);
      }
    }
    return n;
  }

  private static String text(JsonNode n, String key, String fallback) {
    return n != null && n.hasNonNull(key) ? n.get(key).asText() : fallback;
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[i];
  }

  private static long parseLong(String s, String what) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " must be a number, got " + s);
    }
  }
}
