package org.ppml.kms.http;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.ppml.attestation.collateral.CollateralBundle;
import org.ppml.attestation.collateral.CollateralFormatException;
import org.ppml.attestation.dcap.CrlMode;
import org.ppml.attestation.dcap.PinnedRoot;
import org.ppml.attestation.dcap.QuoteVerifier;
import org.ppml.attestation.pcs.CollateralCache;
import org.ppml.attestation.pcs.PcsClient;
import org.ppml.attestation.simulated.DevHome;
import org.ppml.crypto.fs.AtomicFile;
import org.ppml.crypto.fs.BoundedFile;
import org.ppml.kms.KeyBrokerConfig;
import org.ppml.kms.attest.AttestationService;
import org.ppml.kms.attest.CollateralDirectory;
import org.ppml.kms.attest.CollateralSource;
import org.ppml.kms.attest.NonceStore;
import org.ppml.kms.audit.AuditLog;
import org.ppml.kms.health.Readiness;
import org.ppml.kms.metrics.BrokerMetrics;
import org.ppml.kms.release.KeyReleaseService;
import org.ppml.kms.release.ReleasePolicyEnforcer;
import org.ppml.kms.release.ResponseEncrypter;
import org.ppml.kms.store.ApiTokenStore;
import org.ppml.kms.store.BrokerDatabase;
import org.ppml.kms.store.KbsSessionStore;
import org.ppml.kms.store.MasterKey;
import org.ppml.kms.store.PostgresStore;
import org.ppml.kms.store.PrimaryKeyStore;
import org.ppml.kms.store.ResourceStore;
import org.ppml.kms.store.SealedSettings;
import org.ppml.kms.store.SqliteStore;
import org.ppml.kms.store.StoreException;
import org.ppml.kms.tls.TlsIdentity;
import org.ppml.kms.token.AttestationTokenIssuer;
import org.ppml.kms.token.AttestationTokenVerifier;
import org.ppml.kms.token.TokenSigningKey;

/**
 * The key broker: KBS 0.4.0 plus the PPML extension and the admin API on Jetty 12, TLS only (1.3
 * preferred, 1.2 at least), with its state in one SQLite file, or in a PostgreSQL database that
 * several replicas share.
 *
 * <p>On every start it writes {@code <data>/endpoint.json} ({@code url}, {@code tlsSha256}); on
 * first start it also creates the master key file, the TLS identity and the first admin token,
 * which it writes to {@code <data>/admin-token} (0600) and prints once. With PostgreSQL, {@code
 * <data>} is the replica's state directory ({@code --state}); the TLS identity lives sealed in the
 * database, and the first admin token is written by whichever replica initialises the database.
 */
public final class KeyBrokerServer implements AutoCloseable {
  /** File with the broker's URL and certificate fingerprint. */
  public static final String ENDPOINT_FILE = "endpoint.json";

  /** File with the first admin token, written once. */
  public static final String ADMIN_TOKEN_FILE = "admin-token";

  private static final int MAX_REQUEST_HEADER = 16 * 1024;

  /**
   * How long a request head (and, on a new connection, the TLS handshake before it) may take: a
   * client still sending one after this is closed within twice this time ({@link HeaderDeadline}).
   * Heads are a few hundred bytes, sent at once by every real client.
   */
  public static final Duration HEADER_DEADLINE = Duration.ofSeconds(10);

  /** How long {@code /readyz} waits for the database to answer. */
  static final Duration READY_DATABASE_TIMEOUT = Duration.ofSeconds(2);

  /** How long a connection may stay silent between requests. */
  public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

  private final KeyBrokerConfig config;
  private final BrokerDatabase store;
  private final MasterKey masterKey;
  private final Server server;
  private final ServerConnector connector;
  private final TlsIdentity tls;
  private final String firstAdminToken;

  private KeyBrokerServer(
      KeyBrokerConfig config,
      BrokerDatabase store,
      MasterKey masterKey,
      Server server,
      ServerConnector connector,
      TlsIdentity tls,
      String firstAdminToken) {
    this.config = config;
    this.store = store;
    this.masterKey = masterKey;
    this.server = server;
    this.connector = connector;
    this.tls = tls;
    this.firstAdminToken = firstAdminToken;
  }

  /**
   * Starts a broker; {@code banner} receives the start-up lines (fingerprint, first admin token,
   * dev warning).
   */
  public static KeyBrokerServer start(KeyBrokerConfig config, PrintStream banner) throws Exception {
    return start(config, banner, true);
  }

  /**
   * Starts a broker.
   *
   * @param banner receives the start-up lines (fingerprint, dev warning, first admin token)
   * @param printAdminToken whether the banner may show the first admin token itself, or only where
   *     it was written: a banner that ends up in a log (a container's stdout) must not carry a
   *     credential
   */
  public static KeyBrokerServer start(
      KeyBrokerConfig config, PrintStream banner, boolean printAdminToken) throws Exception {
    if (!Files.isDirectory(config.dataDir())) {
      // The directory holds the master key file and the admin token: private from the start.
      Files.createDirectories(
          config.dataDir(),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    Clock clock = Clock.systemUTC();
    MasterKey masterKey =
        MasterKey.load(
            config.masterKeyValue(),
            config.masterKeyFile() != null
                ? config.masterKeyFile()
                : config.dataDir().resolve(MasterKey.FILE_NAME));
    BrokerDatabase store =
        config.database() == null
            ? SqliteStore.open(config.dataDir())
            : PostgresStore.open(config.database());
    try {
      SealedSettings settings = new SealedSettings(store, masterKey);
      settings.checkMasterKey();
      TokenSigningKey signingKey = TokenSigningKey.loadOrCreate(settings);
      ApiTokenStore apiTokens = new ApiTokenStore(store);
      // The file first: a crash before the commit leaves no admin token yet, and the next
      // start issues one and replaces the file.
      String firstAdmin =
          apiTokens
              .issueFirstAdmin(
                  "first start",
                  token ->
                      AtomicFile.writeSecret(
                          config.dataDir().resolve(ADMIN_TOKEN_FILE),
                          (token + "\n").getBytes(StandardCharsets.UTF_8)))
              .orElse(null);
      BrokerMetrics metrics = new BrokerMetrics(config.metricsKeyNames());
      store.pools().forEach(metrics::databasePool);
      AuditLog audit = new AuditLog(store, metrics::auditCommit);
      PrimaryKeyStore keys = new PrimaryKeyStore(store, masterKey);
      ResourceStore resources = new ResourceStore(store, masterKey);
      QuoteVerifier verifier = verifier(config);
      CollateralSource collateral = collateral(config);
      AttestationTokenIssuer issuer =
          new AttestationTokenIssuer(signingKey, config.tokenLifetime());
      AttestationService attestation =
          new AttestationService(
              new NonceStore(store), verifier, collateral, issuer, audit, clock, metrics);
      KeyReleaseService release =
          new KeyReleaseService(
              keys,
              resources,
              new ReleasePolicyEnforcer(),
              new ResponseEncrypter(config.tokenLifetime(), clock),
              audit,
              metrics);
      BearerTokens tokens =
          new BearerTokens(
              new AttestationTokenVerifier(signingKey),
              apiTokens,
              new KbsSessionStore(store, masterKey),
              clock,
              audit);
      BrokerHandler handler =
          new BrokerHandler(
              new KbsEndpoints(attestation, release, tokens),
              new PpmlEndpoints(release, tokens),
              new AdminEndpoints(keys, resources, release, apiTokens, audit, tokens),
              new OpsEndpoints(
                  metrics,
                  new Readiness(
                      () -> {
                        if (!store.reachable(READY_DATABASE_TIMEOUT)) {
                          throw new StoreException(store.describe() + " is not reachable");
                        }
                      },
                      masterKey,
                      collateral,
                      verifier.crlMode(),
                      clock)),
              metrics);

      TlsIdentity tls =
          config.tlsCert() != null
              ? TlsIdentity.fromPem(config.tlsCert(), config.tlsKey())
              : config.database() != null
                  ? TlsIdentity.loadOrCreate(settings, List.of(config.host()))
                  : TlsIdentity.loadOrCreate(config.dataDir(), List.of(config.host()));
      QueuedThreadPool threads = new QueuedThreadPool(64, 4);
      threads.setName("ppml-kms");
      Server server = new Server(threads);
      ServerConnector connector = connector(server, tls, config);
      server.addConnector(connector);
      HeaderDeadline deadline =
          new HeaderDeadline(handler, connector.getScheduler(), HEADER_DEADLINE);
      connector.addBean(deadline);
      server.setHandler(deadline);
      server.setErrorHandler(new ProblemErrorHandler());
      server.setStopAtShutdown(true);
      server.start();
      KeyBrokerServer broker =
          new KeyBrokerServer(config, store, masterKey, server, connector, tls, firstAdmin);
      broker.writeEndpointFile();
      broker.printBanner(banner, masterKey, printAdminToken);
      return broker;
    } catch (Exception | Error e) {
      store.close();
      masterKey.destroy();
      throw e;
    }
  }

  private static QuoteVerifier verifier(KeyBrokerConfig config)
      throws IOException, GeneralSecurityException {
    if (config.dev()) {
      return new QuoteVerifier(DevHome.open(config.devHome()).pinnedRoot(), CrlMode.STRICT);
    }
    return new QuoteVerifier(PinnedRoot.intel(), CrlMode.STRICT);
  }

  private static CollateralSource collateral(KeyBrokerConfig config)
      throws IOException, GeneralSecurityException, CollateralFormatException {
    if (config.dev()) {
      DevHome home = DevHome.open(config.devHome());
      return CollateralSource.fixed(home.collateral());
    }
    if (config.pccsUrl() != null) {
      return CollateralSource.cached(
          new CollateralCache(
              config.dataDir().resolve("collateral-cache"),
              new PcsClient(config.pccsUrl()),
              Duration.ofHours(1)));
    }
    if (config.collateralFile() == null) {
      // Without collateral no quote can verify; refusing to start says so at once.
      throw new IllegalArgumentException(
          "production mode needs a PCCS URL (--pccs) or collateral"
              + " (--collateral: one bundle, or a directory of bundles, one per platform)");
    }
    if (Files.isDirectory(config.collateralFile())) {
      return CollateralDirectory.load(config.collateralFile());
    }
    try {
      CollateralBundle bundle =
          CollateralBundle.parse(
              BoundedFile.read(config.collateralFile(), CollateralBundle.MAX_SIZE));
      // The broker verifies with strict CRLs: a bundle without them stops it at start.
      CrlMode.STRICT.requireRevocationData(bundle);
      return CollateralSource.fixed(bundle);
    } catch (CollateralFormatException e) {
      throw new IOException(config.collateralFile() + ": " + e.getMessage(), e);
    }
  }

  private static ServerConnector connector(Server server, TlsIdentity tls, KeyBrokerConfig config)
      throws GeneralSecurityException, IOException {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(tls.keyStore());
    ssl.setKeyStorePassword(tls.keyStorePassword());
    ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
    ssl.setSniRequired(false);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendDateHeader(false);
    http.setRequestHeaderSize(MAX_REQUEST_HEADER);
    SecureRequestCustomizer secure = new SecureRequestCustomizer(false);
    http.addCustomizer(secure);
    ServerConnector c =
        new ServerConnector(
            server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
    c.setHost(config.host());
    c.setPort(config.port());
    c.setIdleTimeout(IDLE_TIMEOUT.toMillis());
    return c;
  }

  private void writeEndpointFile() throws IOException {
    String json = "{\"url\":\"" + url() + "\",\"tlsSha256\":\"" + tls.sha256() + "\"}\n";
    AtomicFile.write(
        config.dataDir().resolve(ENDPOINT_FILE),
        EnumSet.of(
            PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.OTHERS_READ),
        out -> out.write(json.getBytes(StandardCharsets.UTF_8)));
  }

  private void printBanner(PrintStream out, MasterKey key, boolean printAdminToken) {
    if (out == null) {
      return;
    }
    if (config.dev()) {
      out.println(
          "WARNING: development mode. Only simulated SGX evidence from "
              + config.devHome()
              + " is trusted; tokens and audit records say simulated. Never use this for real data.");
    }
    out.println("ppml-kms listening on " + url());
    out.println("TLS certificate SHA-256: " + tls.sha256());
    out.println(
        "master key from "
            + key.source()
            + "; data in "
            + store.describe()
            + (config.database() != null ? "; state in " + config.dataDir() : ""));
    if (firstAdminToken != null && printAdminToken) {
      out.println(
          "first admin token (shown once, also in "
              + config.dataDir().resolve(ADMIN_TOKEN_FILE)
              + "): "
              + firstAdminToken);
    } else if (firstAdminToken != null) {
      out.println(
          "first admin token written to "
              + config.dataDir().resolve(ADMIN_TOKEN_FILE)
              + " (owner-only); not printed, as this output is not a terminal and may be kept as a log");
    }
  }

  /** The base URL, {@code https://host:port}. */
  public String url() {
    String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    return "https://" + host + ":" + port();
  }

  /** The port actually bound. */
  public int port() {
    return connector.getLocalPort();
  }

  /** The SHA-256 fingerprint clients pin. */
  public String tlsSha256() {
    return tls.sha256();
  }

  /** The first admin token if this start created it. */
  public Optional<String> firstAdminToken() {
    return Optional.ofNullable(firstAdminToken);
  }

  /**
   * The SQLite database file.
   *
   * @throws IllegalStateException when the broker runs on PostgreSQL
   */
  public Path databaseFile() {
    if (store instanceof SqliteStore sqlite) {
      return sqlite.file();
    }
    throw new IllegalStateException("this broker keeps its state in " + store.describe());
  }

  /**
   * Whether the broker's database answers within {@code timeout}: the "database reachable" part of
   * a readiness probe (always true for a healthy SQLite file; a round trip for PostgreSQL).
   */
  public boolean databaseReachable(Duration timeout) {
    return store.reachable(timeout);
  }

  /** Blocks until the server stops. */
  public void join() throws InterruptedException {
    server.join();
  }

  @Override
  public void close() throws Exception {
    try {
      server.stop();
    } finally {
      store.close();
      masterKey.destroy();
    }
  }

  @Override
  public String toString() {
    return "KeyBrokerServer[" + url() + ", dev=" + config.dev() + "]";
  }
}
