package org.ppml.kms;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.ppml.kms.store.MasterKey;
import org.ppml.kms.store.PostgresLocation;
import org.ppml.kms.token.AttestationTokenIssuer;

/**
 * How a broker runs.
 *
 * @param dataDir the state directory: the SQLite database, master key file and TLS identity when
 *     {@code database} is null; the endpoint file and first admin token always (with PostgreSQL
 *     only what belongs to this process: {@code --state DIR})
 * @param host the address to listen on
 * @param port the port, 0 for an ephemeral one
 * @param dev trust the {@code ppml dev init} root from {@code devHome}: simulated evidence only
 * @param devHome the dev home, used when {@code dev}
 * @param collateralFile a collateral bundle for production verification, or null
 * @param pccsUrl a PCCS or PCS v4 base URL for production collateral (cached in the data
 *     directory), or null
 * @param tokenLifetime attestation token lifetime
 * @param tlsCert a PEM certificate to use instead of the self-signed one, or null
 * @param tlsKey its PEM key, or null
 * @param masterKeyValue base64 master key (normally from the environment), or null for the key file
 * @param masterKeyFile the master key file, or null for {@code dataDir/master.key}
 * @param database a PostgreSQL database shared by replicas, or null for SQLite in {@code dataDir}
 * @param metricsKeyNames whether {@code /metrics} labels releases and denials with key names
 *     ({@code --metrics-key-names}); off by default, as a key name can say what data it protects
 */
public record KeyBrokerConfig(
    Path dataDir,
    String host,
    int port,
    boolean dev,
    Path devHome,
    Path collateralFile,
    URI pccsUrl,
    Duration tokenLifetime,
    Path tlsCert,
    Path tlsKey,
    String masterKeyValue,
    Path masterKeyFile,
    PostgresLocation database,
    boolean metricsKeyNames) {

  /** Without key names in metrics. */
  public KeyBrokerConfig(
      Path dataDir,
      String host,
      int port,
      boolean dev,
      Path devHome,
      Path collateralFile,
      URI pccsUrl,
      Duration tokenLifetime,
      Path tlsCert,
      Path tlsKey,
      String masterKeyValue,
      Path masterKeyFile,
      PostgresLocation database) {
    this(
        dataDir,
        host,
        port,
        dev,
        devHome,
        collateralFile,
        pccsUrl,
        tokenLifetime,
        tlsCert,
        tlsKey,
        masterKeyValue,
        masterKeyFile,
        database,
        false);
  }

  public KeyBrokerConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535");
    }
    if (tokenLifetime == null) {
      tokenLifetime = AttestationTokenIssuer.DEFAULT_LIFETIME;
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new IllegalArgumentException("a TLS certificate and key are configured together");
    }
    if (dev && devHome == null) {
      throw new IllegalArgumentException("dev mode needs a dev home");
    }
  }

  /** SQLite in {@code dataDir}. */
  public KeyBrokerConfig(
      Path dataDir,
      String host,
      int port,
      boolean dev,
      Path devHome,
      Path collateralFile,
      URI pccsUrl,
      Duration tokenLifetime,
      Path tlsCert,
      Path tlsKey,
      String masterKeyValue,
      Path masterKeyFile) {
    this(
        dataDir,
        host,
        port,
        dev,
        devHome,
        collateralFile,
        pccsUrl,
        tokenLifetime,
        tlsCert,
        tlsKey,
        masterKeyValue,
        masterKeyFile,
        null);
  }

  /** Everything but the master key's value, which is a secret: only where it came from. */
  @Override
  public String toString() {
    return "KeyBrokerConfig["
        + (database == null ? "dataDir=" + dataDir : "database=" + database + ", state=" + dataDir)
        + ", listen="
        + host
        + ":"
        + port
        + ", dev="
        + dev
        + (dev ? ", devHome=" + devHome : "")
        + ", collateral="
        + collateralFile
        + ", pccs="
        + pccsUrl
        + ", tokenLifetime="
        + tokenLifetime
        + ", tlsCert="
        + tlsCert
        + ", tlsKey="
        + tlsKey
        + ", masterKey="
        + (masterKeyValue != null
            ? "(from the environment)"
            : masterKeyFile != null ? masterKeyFile : dataDir.resolve(MasterKey.FILE_NAME))
        + (metricsKeyNames ? ", metricsKeyNames=true" : "")
        + "]";
  }

  /** Dev mode on loopback with an ephemeral port and the master key file in {@code dataDir}. */
  public static KeyBrokerConfig dev(Path dataDir, Path devHome) {
    return new KeyBrokerConfig(
        dataDir, "127.0.0.1", 0, true, devHome, null, null, null, null, null, null, null);
  }

  /** A copy with another token lifetime. */
  public KeyBrokerConfig withTokenLifetime(Duration lifetime) {
    return new KeyBrokerConfig(
        dataDir,
        host,
        port,
        dev,
        devHome,
        collateralFile,
        pccsUrl,
        lifetime,
        tlsCert,
        tlsKey,
        masterKeyValue,
        masterKeyFile,
        database,
        metricsKeyNames);
  }

  /** A copy listening on {@code port}. */
  public KeyBrokerConfig withPort(int newPort) {
    return new KeyBrokerConfig(
        dataDir,
        host,
        newPort,
        dev,
        devHome,
        collateralFile,
        pccsUrl,
        tokenLifetime,
        tlsCert,
        tlsKey,
        masterKeyValue,
        masterKeyFile,
        database,
        metricsKeyNames);
  }

  /** A copy with key names in metrics labels on or off. */
  public KeyBrokerConfig withMetricsKeyNames(boolean on) {
    return new KeyBrokerConfig(
        dataDir,
        host,
        port,
        dev,
        devHome,
        collateralFile,
        pccsUrl,
        tokenLifetime,
        tlsCert,
        tlsKey,
        masterKeyValue,
        masterKeyFile,
        database,
        on);
  }

  /**
   * A copy keeping its state in {@code db} (null: SQLite in {@code dataDir}), with the master key
   * {@code masterKeyBase64} (replicas of one database share one master key).
   */
  public KeyBrokerConfig withDatabase(PostgresLocation db, String masterKeyBase64) {
    return new KeyBrokerConfig(
        dataDir,
        host,
        port,
        dev,
        devHome,
        collateralFile,
        pccsUrl,
        tokenLifetime,
        tlsCert,
        tlsKey,
        masterKeyBase64,
        masterKeyFile,
        db,
        metricsKeyNames);
  }
}
