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
    return builder(dataDir).dev(devHome).build();
  }

  /**
   * A configuration with state in {@code dataDir}: production mode, listening on 127.0.0.1 at an
   * ephemeral port, SQLite, the master key file in {@code dataDir}, until told otherwise.
   */
  public static Builder builder(Path dataDir) {
    return new Builder(dataDir);
  }

  /** A builder holding this configuration, to change some of it. */
  public Builder toBuilder() {
    Builder b = new Builder(dataDir);
    b.host = host;
    b.port = port;
    b.dev = dev;
    b.devHome = devHome;
    b.collateralFile = collateralFile;
    b.pccsUrl = pccsUrl;
    b.tokenLifetime = tokenLifetime;
    b.tlsCert = tlsCert;
    b.tlsKey = tlsKey;
    b.masterKeyValue = masterKeyValue;
    b.masterKeyFile = masterKeyFile;
    b.database = database;
    b.metricsKeyNames = metricsKeyNames;
    return b;
  }

  /** A copy with another token lifetime. */
  public KeyBrokerConfig withTokenLifetime(Duration lifetime) {
    return toBuilder().tokenLifetime(lifetime).build();
  }

  /** A copy listening on {@code port}. */
  public KeyBrokerConfig withPort(int newPort) {
    return toBuilder().port(newPort).build();
  }

  /** A copy with key names in metrics labels on or off. */
  public KeyBrokerConfig withMetricsKeyNames(boolean on) {
    return toBuilder().metricsKeyNames(on).build();
  }

  /**
   * A copy keeping its state in {@code db} (null: SQLite in {@code dataDir}), with the master key
   * {@code masterKeyBase64} (replicas of one database share one master key).
   */
  public KeyBrokerConfig withDatabase(PostgresLocation db, String masterKeyBase64) {
    return toBuilder().database(db).masterKeyValue(masterKeyBase64).build();
  }

  /**
   * Names each setting instead of a dozen positional arguments; {@link #build} applies the record's
   * checks. Each setter is documented on the record component of the same name.
   */
  public static final class Builder {
    private final Path dataDir;
    private String host = "127.0.0.1";
    private int port;
    private boolean dev;
    private Path devHome;
    private Path collateralFile;
    private URI pccsUrl;
    private Duration tokenLifetime;
    private Path tlsCert;
    private Path tlsKey;
    private String masterKeyValue;
    private Path masterKeyFile;
    private PostgresLocation database;
    private boolean metricsKeyNames;

    private Builder(Path dataDir) {
      this.dataDir = dataDir;
    }

    public Builder host(String value) {
      host = value;
      return this;
    }

    public Builder port(int value) {
      port = value;
      return this;
    }

    /** Dev mode with the dev home {@code home}; null turns dev mode off. */
    public Builder dev(Path home) {
      dev = home != null;
      devHome = home;
      return this;
    }

    public Builder collateralFile(Path value) {
      collateralFile = value;
      return this;
    }

    public Builder pccsUrl(URI value) {
      pccsUrl = value;
      return this;
    }

    public Builder tokenLifetime(Duration value) {
      tokenLifetime = value;
      return this;
    }

    /** A PEM certificate and its key, both or neither. */
    public Builder tls(Path cert, Path key) {
      tlsCert = cert;
      tlsKey = key;
      return this;
    }

    public Builder masterKeyValue(String value) {
      masterKeyValue = value;
      return this;
    }

    public Builder masterKeyFile(Path value) {
      masterKeyFile = value;
      return this;
    }

    public Builder database(PostgresLocation value) {
      database = value;
      return this;
    }

    public Builder metricsKeyNames(boolean value) {
      metricsKeyNames = value;
      return this;
    }

    public KeyBrokerConfig build() {
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
          metricsKeyNames);
    }
  }
}
