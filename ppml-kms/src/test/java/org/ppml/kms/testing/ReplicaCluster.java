package org.ppml.kms.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import org.ppml.attestation.simulated.DevHome;
import org.ppml.kms.http.KeyBrokerServer;
import org.ppml.kms.store.MasterKey;
import org.ppml.kms.store.PostgresLocation;
import org.ppml.kmsclient.broker.BrokerTls;

/**
 * Broker replicas in child JVMs on one PostgreSQL database, behind {@link HaProxy}: each replica
 * with its own {@code --state} directory and port, all sharing the master key (from the
 * environment, as a deployment would from a secret). Replicas can be killed ({@code kill -9}) and
 * started again on their port.
 */
public final class ReplicaCluster implements AutoCloseable {
  private final Path dir;
  private final DevHome devHome;
  private final PostgresLocation database;
  private final Map<String, String> environment;
  private final List<Integer> ports;
  private final BrokerProcess[] replicas;
  private final HaProxy proxy;

  private ReplicaCluster(
      Path dir,
      DevHome devHome,
      PostgresLocation database,
      Map<String, String> environment,
      List<Integer> ports,
      BrokerProcess[] replicas,
      HaProxy proxy) {
    this.dir = dir;
    this.devHome = devHome;
    this.database = database;
    this.environment = environment;
    this.ports = ports;
    this.replicas = replicas;
    this.proxy = proxy;
  }

  /** Whether PostgreSQL and HAProxy are installed. */
  public static boolean available() {
    return PostgresServer.available() && HaProxy.binary().isPresent();
  }

  /**
   * A fresh database and {@code count} replicas started at the same moment (so they race to
   * initialise it), behind HAProxy.
   */
  public static ReplicaCluster start(Path dir, int count) throws Exception {
    DevHome home = DevHome.init(dir.resolve("dev"), Instant.now().minusSeconds(60));
    PostgresLocation db = PostgresServer.shared().createDatabase();
    byte[] master = new byte[32];
    new SecureRandom().nextBytes(master);
    Map<String, String> env =
        Map.of(MasterKey.ENVIRONMENT, Base64.getEncoder().encodeToString(master));
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i <= count; i++) {
      ports.add(freePort());
    }
    BrokerProcess[] replicas = new BrokerProcess[count];
    ExecutorService starting = Executors.newFixedThreadPool(count);
    try {
      List<Future<BrokerProcess>> started = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int n = i;
        started.add(
            starting.submit(
                () ->
                    BrokerProcess.start(
                        dir.resolve("state-" + n),
                        home.directory(),
                        db,
                        "127.0.0.1:" + ports.get(n),
                        env)));
      }
      for (int i = 0; i < count; i++) {
        replicas[i] = started.get(i).get();
      }
    } finally {
      starting.shutdown();
    }
    HaProxy proxy = HaProxy.start(dir, ports.get(count), ports.subList(0, count));
    return new ReplicaCluster(dir, home, db, env, ports, replicas, proxy);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** The load balancer's URL. */
  public URI front() {
    return URI.create("https://127.0.0.1:" + proxy.port());
  }

  /** Replica {@code i}'s own URL. */
  public URI replica(int i) {
    return replicas[i].url();
  }

  /** How many replicas there are. */
  public int size() {
    return replicas.length;
  }

  /** A TLS context pinning the replicas' shared certificate. */
  public SSLContext tls() throws Exception {
    return BrokerTls.pinned(replicas[0].tlsSha256());
  }

  /** The certificate fingerprint each replica wrote to its endpoint file. */
  public List<String> fingerprints() {
    List<String> out = new ArrayList<>();
    for (BrokerProcess r : replicas) {
      out.add(r.tlsSha256());
    }
    return out;
  }

  /** The state directories that received a first admin token. */
  public List<Path> adminTokenFiles() {
    List<Path> out = new ArrayList<>();
    for (int i = 0; i < replicas.length; i++) {
      Path p = dir.resolve("state-" + i).resolve(KeyBrokerServer.ADMIN_TOKEN_FILE);
      if (Files.exists(p)) {
        out.add(p);
      }
    }
    return out;
  }

  /** The first admin token, from whichever replica wrote it. */
  public String adminToken() throws IOException {
    return Files.readString(adminTokenFiles().get(0)).trim();
  }

  /** The dev home the replicas trust. */
  public DevHome devHome() {
    return devHome;
  }

  /** The database. */
  public PostgresLocation database() {
    return database;
  }

  /** kill -9 of replica {@code i}. */
  public void kill(int i) throws InterruptedException {
    replicas[i].kill();
  }

  /** Starts replica {@code i} again on its port and state directory. */
  public void restart(int i) throws Exception {
    replicas[i] =
        BrokerProcess.start(
            dir.resolve("state-" + i),
            devHome.directory(),
            database,
            "127.0.0.1:" + ports.get(i),
            environment);
  }

  /** Every replica's log, for a failure message. */
  public String logs() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < replicas.length; i++) {
      b.append("--- replica ").append(i).append('\n').append(replicas[i].log());
    }
    return b.toString();
  }

  @Override
  public void close() throws Exception {
    try {
      proxy.close();
    } finally {
      for (BrokerProcess r : replicas) {
        r.kill();
      }
    }
  }
}
