package org.ppml.benchmarks.broker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.ppml.kms.testing.PostgresServer;
import org.ppml.kms.testing.ReplicaCluster;
import org.ppml.kms.testing.ReplicaLoad;

/**
 * Broker replicas on one real PostgreSQL behind a real HAProxy (TCP, round robin): throughput of
 * attest + unwrap with 1, 2 and 3 replicas, then, with 3, the failover gap when one replica is
 * killed with SIGKILL (the time with errors: 100 ms windows in which a request failed) and the time
 * until the restarted replica serves again. The long run of ReplicaFailoverTest; needs Debian's
 * {@code postgresql} and {@code haproxy}.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.ppml.benchmarks.broker.ReplicaFailoverBenchmark [clients] [seconds] [attest every N unwraps]
 * </pre>
 *
 * Everything (clients, replicas, PostgreSQL, HAProxy) shares this machine's cores, so more replicas
 * buy availability here, not throughput; the per-count numbers show what sharing one database
 * costs.
 */
public final class ReplicaFailoverBenchmark {
  private ReplicaFailoverBenchmark() {}

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int attestEvery = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    if (!ReplicaCluster.available()) {
      System.err.println(PostgresServer.HOW_TO_ENABLE + "; and apt-get install -y haproxy");
      System.exit(2);
    }
    System.out.printf(
        "%d clients (4 creating keys), %d s per run, attest every %d unwraps%n",
        clients, seconds, attestEvery);
    for (int replicas = 1; replicas <= 3; replicas++) {
      Path dir = Files.createTempDirectory("ppml-replicas-");
      try (ReplicaCluster cluster = ReplicaCluster.start(dir, replicas)) {
        ReplicaLoad load =
            new ReplicaLoad(
                cluster.front(), cluster.tls(), cluster.devHome(), cluster.adminToken());
        load.setUp();
        load.start(clients - 4, 4, attestEvery);
        // Warm-up: the JIT compiles the client and (in each child) the broker.
        Thread.sleep(10_000);
        long unwraps0 = load.unwraps();
        long attests0 = load.attestsAcknowledged.get();
        long keys0 = load.keysCreated.size();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        double wall = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
            "replicas=%d: unwrap %.0f/s, attest %.0f/s, admin key creations %.0f/s, errors %d%n",
            replicas,
            (load.unwraps() - unwraps0) / wall,
            (load.attestsAcknowledged.get() - attests0) / wall,
            (load.keysCreated.size() - keys0) / wall,
            load.errors.size());
        if (replicas == 3) {
          long killedAt = System.nanoTime();
          cluster.kill(1);
          long before = load.unwraps();
          Thread.sleep(seconds * 1000L / 2);
          double degraded = (load.unwraps() - before) / (seconds / 2.0);
          long restartAt = System.nanoTime();
          cluster.restart(1);
          double restartSeconds = (System.nanoTime() - restartAt) / 1e9;
          Thread.sleep(seconds * 1000L / 2);
          load.revoke();
          Thread.sleep(2_000);
          load.stop();
          System.out.printf(
              "kill -9 of 1 of 3: failover gap %.0f ms (100 ms windows with a failed request),"
                  + " %d failed requests, unwrap %.0f/s on 2 replicas, restart to serving %.1f s,"
                  + " releases after revocation %d, wrong keys %d%n",
              load.gapMillis(killedAt),
              load.errors.size(),
              degraded,
              restartSeconds,
              load.releasesAfterRevocation.get(),
              load.wrongKeys.get());
        } else {
          load.stop();
        }
      } finally {
        try (Stream<Path> all = Files.walk(dir)) {
          all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
    System.exit(0);
  }
}
