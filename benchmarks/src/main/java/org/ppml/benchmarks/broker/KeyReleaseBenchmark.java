package org.ppml.benchmarks.broker;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import org.ppml.attestation.simulated.DevHome;
import org.ppml.crypto.kms.DataKey;
import org.ppml.crypto.kms.WrappedKey;
import org.ppml.kms.KeyBrokerConfig;
import org.ppml.kms.http.KeyBrokerServer;
import org.ppml.kmsclient.broker.BrokerTls;
import org.ppml.kmsclient.broker.KeyBrokerAdminClient;
import org.ppml.kmsclient.broker.KeyBrokerClient;

/**
 * Key-broker throughput and latency against a real broker on loopback (TLS, SQLite, simulated
 * attestation), with N concurrent clients:
 *
 * <ul>
 *   <li>baseline: an HTTPS request the broker refuses before any work (an unknown endpoint's 404),
 *       i.e. TLS + HTTP + JSON on this machine;
 *   <li>unwrap with a cached token: what an executor does per new data key;
 *   <li>auth + attest: quote verification, nonce bookkeeping, token issuance.
 *   <li>unwrap at a fixed offered rate (open loop, default 1000/s): the latency a broker serving
 *       that load gives, which closed-loop clients cannot show.
 * </ul>
 *
 * Client and broker share the 2 cores, so the numbers are a floor for a dedicated broker. Every
 * phase is first run {@code warm-up rounds} times (default 8) unmeasured: a broker is a
 * long-running process, and until the JIT has compiled this stack (Jetty, TLS, java.net.http,
 * nimbus, Bouncy Castle, SQLite JDBC) its compiler threads take a third of the 2 cores. Each line
 * reports the JIT time that still fell inside its phase.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.ppml.benchmarks.broker.KeyReleaseBenchmark [clients] [unwraps] [rate] [warm-up rounds]
 * </pre>
 */
public final class KeyReleaseBenchmark {
  private KeyReleaseBenchmark() {}

  /**
   * Latencies of one phase, its wall time, and the CPU time the broker's threads and the whole
   * process spent in it.
   */
  private record Phase(
      String name,
      long[] nanos,
      long wallNanos,
      long brokerCpuNanos,
      long clientCpuNanos,
      long processCpuNanos,
      long jitMillis) {
    double perSecond() {
      return nanos.length / (wallNanos / 1e9);
    }

    double brokerCpuMicrosPerCall() {
      return brokerCpuNanos / 1e3 / nanos.length;
    }

    double clientCpuMicrosPerCall() {
      return clientCpuNanos / 1e3 / nanos.length;
    }

    /** GC, JIT and other JVM threads: the process's CPU that no Java thread accounts for. */
    double jvmCpuMicrosPerCall() {
      return (processCpuNanos - brokerCpuNanos - clientCpuNanos) / 1e3 / nanos.length;
    }

    double processCpuMicrosPerCall() {
      return processCpuNanos / 1e3 / nanos.length;
    }

    double percentileMillis(double p) {
      long[] s = nanos.clone();
      Arrays.sort(s);
      return s[Math.min(s.length - 1, (int) (s.length * p))] / 1e6;
    }
  }

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    int unwraps = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    int rate = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    int warmupRounds = args.length > 3 ? Integer.parseInt(args[3]) : 8;
    Path dir = Files.createTempDirectory("ppml-kms-bench");
    DevHome dev = DevHome.init(dir.resolve("dev"), Instant.now().minusSeconds(60));
    try (Broker broker =
        new Broker(
            KeyBrokerServer.start(
                KeyBrokerConfig.dev(dir.resolve("kms"), dev.directory()),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))) {
      SSLContext tls = BrokerTls.pinned(broker.server.tlsSha256());
      URI url = URI.create(broker.server.url());
      new KeyBrokerAdminClient(
              url, tls, broker.server.firstAdminToken().orElseThrow(), Duration.ofSeconds(30))
          .createKey(
              "bench",
              "{\"mrSigner\":\""
                  + HexFormat.of().formatHex(dev.mrSigner())
                  + "\",\"isvProdId\":0,\"allowSimulated\":true,\"allowDebug\":true}");
      byte[] mrEnclave = new byte[32];
      List<KeyBrokerClient> pool = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        KeyBrokerClient c =
            new KeyBrokerClient(url, tls, dev.provider(mrEnclave), Duration.ofSeconds(60));
        c.token();
        pool.add(c);
      }
      WrappedKey wrapped;
      try (DataKey k = pool.get(0).dataKey("bench")) {
        wrapped = k.wrapped();
      }
      HttpClient http = HttpClient.newBuilder().sslContext(tls).build();
      // An unknown endpoint: a 404 KBS error body with no lookup and no audit write. (A request
      // without a token is no baseline since every refused credential is audited durably.)
      HttpRequest refused =
          HttpRequest.newBuilder(url.resolve("/kbs/v0/no-such-endpoint")).GET().build();
      ExecutorService exec = Executors.newFixedThreadPool(clients);
      // Warm-up: every kind of call, until the JIT has compiled what the phases run. On 2 cores the
      // compiler threads otherwise take a third of the machine during the measured phases (seen
      // in per-thread CPU), which a long-running broker never pays.
      long jitBefore = jitMillis();
      long warmStart = System.nanoTime();
      for (int round = 0; round < warmupRounds; round++) {
        phase(
            "warm-up",
            exec,
            pool,
            unwraps,
            c -> () -> http.send(refused, HttpResponse.BodyHandlers.discarding()));
        phase(
            "warm-up",
            exec,
            pool,
            unwraps,
            c ->
                () -> {
                  try (DataKey k = c.unwrap(wrapped)) {
                    return null;
                  }
                });
        phase("warm-up", exec, pool, Math.max(clients * 4, 200), c -> c::attest);
        paced(
            "warm-up",
            pool,
            unwraps,
            rate,
            c ->
                () -> {
                  try (DataKey k = c.unwrap(wrapped)) {
                    return null;
                  }
                });
      }
      System.out.printf(
          "warm-up: %d rounds in %.1f s, JIT compiling %.1f s of it%n",
          warmupRounds, (System.nanoTime() - warmStart) / 1e9, (jitMillis() - jitBefore) / 1e3);
      long quiet = 0;
      quiet += awaitJitIdle();
      Phase baseline =
          phase(
              "HTTPS refusal (baseline)",
              exec,
              pool,
              unwraps,
              c -> () -> http.send(refused, HttpResponse.BodyHandlers.discarding()));
      quiet += awaitJitIdle();
      Phase unwrap =
          phase(
              "unwrap, cached token",
              exec,
              pool,
              unwraps,
              c ->
                  () -> {
                    try (DataKey k = c.unwrap(wrapped)) {
                      return null;
                    }
                  });
      quiet += awaitJitIdle();
      Phase attest = phase("auth + attest", exec, pool, Math.max(clients * 4, 200), c -> c::attest);
      exec.shutdown();
      quiet += awaitJitIdle();
      Phase paced =
          paced(
              "unwrap at " + rate + "/s offered",
              pool,
              unwraps,
              rate,
              c ->
                  () -> {
                    try (DataKey k = c.unwrap(wrapped)) {
                      return null;
                    }
                  });
      System.out.printf(
          "waited %.1f s in all for the JIT compilers to go idle before the measured phases%n",
          quiet / 1e3);
      for (Phase p : List.of(baseline, unwrap, attest, paced)) {
        System.out.printf(
            "%-26s %6d calls, %2d clients: %7.0f/s  p50 %6.2f ms  p99 %6.2f ms"
                + "  CPU/call: broker %5.0f us, clients %5.0f us, JVM %5.0f us, process %5.0f us; JIT %5d ms%n",
            p.name,
            p.nanos.length,
            clients,
            p.perSecond(),
            p.percentileMillis(0.5),
            p.percentileMillis(0.99),
            p.brokerCpuMicrosPerCall(),
            p.clientCpuMicrosPerCall(),
            p.jvmCpuMicrosPerCall(),
            p.processCpuMicrosPerCall(),
            p.jitMillis);
      }
      // What a broker with the cores to itself could sustain: its own threads' CPU per unwrap, with
      // the clients' TLS, HTTP and JWE work (a third or more of this process) on other machines.
      System.out.printf(
          "unwrap capacity of the broker's own CPU: %.0f/s per core (closed loop), %.0f/s per core (paced)%n",
          1e6 / unwrap.brokerCpuMicrosPerCall(), 1e6 / paced.brokerCpuMicrosPerCall());
      System.out.printf(
          "unwrap throughput / baseline throughput: %.2f%n",
          unwrap.perSecond() / baseline.perSecond());
      System.out.printf(
          "attest throughput / baseline throughput: %.2f%n",
          attest.perSecond() / baseline.perSecond());
    }
  }

  @FunctionalInterface
  private interface Work {
    Callable<Object> forClient(KeyBrokerClient client);
  }

  private static Phase phase(
      String name, ExecutorService exec, List<KeyBrokerClient> pool, int total, Work work)
      throws Exception {
    int per = Math.max(1, total / pool.size());
    long[] latencies = new long[per * pool.size()];
    List<Future<?>> futures = new ArrayList<>();
    CpuClock cpu = CpuClock.start();
    long start = System.nanoTime();
    for (int t = 0; t < pool.size(); t++) {
      int base = t * per;
      Callable<Object> call = work.forClient(pool.get(t));
      futures.add(
          exec.submit(
              () -> {
                for (int i = 0; i < per; i++) {
                  long s = System.nanoTime();
                  call.call();
                  latencies[base + i] = System.nanoTime() - s;
                }
                return null;
              }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    long wall = System.nanoTime() - start;
    return new Phase(
        name,
        latencies,
        wall,
        cpu.brokerNanos(),
        cpu.otherThreadNanos(),
        cpu.processNanos(),
        jitMillis() - cpu.jitAtStart);
  }

  /**
   * Open-loop load: request i is due at start + i/rate whatever happened before it, and its latency
   * counts from when it was due, so a stall shows up in every request it delayed (no coordinated
   * omission). The clients of the pool serve due requests as they come free. Closed-loop clients
   * cannot measure latency at a target rate: with N of them, Little's law fixes the mean latency at
   * N / throughput.
   */
  private static Phase paced(
      String name, List<KeyBrokerClient> pool, int total, int rate, Work work) throws Exception {
    long[] latencies = new long[total];
    CpuClock cpu = CpuClock.start();
    java.util.concurrent.BlockingQueue<Integer> due =
        new java.util.concurrent.LinkedBlockingQueue<>();
    long start = System.nanoTime() + 10_000_000L;
    long interval = 1_000_000_000L / rate;
    ExecutorService exec = Executors.newFixedThreadPool(pool.size());
    List<Future<?>> futures = new ArrayList<>();
    for (KeyBrokerClient client : pool) {
      Callable<Object> call = work.forClient(client);
      futures.add(
          exec.submit(
              () -> {
                while (true) {
                  int i = due.take();
                  if (i < 0) {
                    return null;
                  }
                  call.call();
                  latencies[i] = System.nanoTime() - (start + i * interval);
                }
              }));
    }
    for (int i = 0; i < total; i++) {
      long wait = start + i * interval - System.nanoTime();
      if (wait > 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(wait);
      }
      due.add(i);
    }
    for (int i = 0; i < pool.size(); i++) {
      due.add(-1);
    }
    for (Future<?> f : futures) {
      f.get();
    }
    long wall = System.nanoTime() - start;
    // Read before the pool shuts down: a thread that has ended no longer reports its CPU time.
    Phase phase =
        new Phase(
            name,
            latencies,
            wall,
            cpu.brokerNanos(),
            cpu.otherThreadNanos(),
            cpu.processNanos(),
            jitMillis() - cpu.jitAtStart);
    exec.shutdown();
    return phase;
  }

  /**
   * CPU time since {@link #start()}: of the broker's own threads (its Jetty pool, which also runs
   * the handlers, SQLite and the audit commits), of every other Java thread (the clients, their
   * HTTP selector threads, the benchmark's pools), and of the whole process, whose remainder is the
   * JVM's own threads (GC, JIT). Threads that end mid-phase lose their share, so the thread figures
   * are if anything low by a little and the remainder high.
   */
  private static final class CpuClock {
    private static final String BROKER_THREADS = "ppml-kms";
    private final java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    private final java.util.Map<Long, Long> atStart = new java.util.HashMap<>();
    private final long processAtStart;
    final long jitAtStart = jitMillis();

    private CpuClock() {
      for (long id : threads.getAllThreadIds()) {
        atStart.put(id, Math.max(0, threads.getThreadCpuTime(id)));
      }
      processAtStart = processCpu();
    }

    static CpuClock start() {
      return new CpuClock();
    }

    long brokerNanos() {
      return threadNanos(true);
    }

    long otherThreadNanos() {
      return threadNanos(false);
    }

    private long threadNanos(boolean broker) {
      long sum = 0;
      for (java.lang.management.ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
        if (t != null && t.getThreadName().startsWith(BROKER_THREADS) == broker) {
          long now = threads.getThreadCpuTime(t.getThreadId());
          if (now > 0) {
            sum += now - atStart.getOrDefault(t.getThreadId(), 0L);
          }
        }
      }
      return sum;
    }

    long processNanos() {
      return processCpu() - processAtStart;
    }

    private static long processCpu() {
      return ((com.sun.management.OperatingSystemMXBean)
              java.lang.management.ManagementFactory.getOperatingSystemMXBean())
          .getProcessCpuTime();
    }
  }

  /**
   * Waits until the JIT compilers have finished nothing for half a second (at most 20 s), and
   * returns the milliseconds waited. A fresh JVM is still compiling the previous phase's code when
   * the next begins: the attest path (ECDSA, X.509, JOSE parsing) runs a few thousand times in the
   * warm-up, short of C2's thresholds, so its compilations arrive just after the attest phase and
   * took both cores from the paced phase that follows (p99 21-42 ms in runs with 0.7-1.1 s of JIT
   * inside that phase, 3-5 ms without). A broker that has run for minutes has compiled all of it.
   * Each phase still prints the JIT time inside it, so a phase measured while compiling shows.
   */
  private static long awaitJitIdle() throws InterruptedException {
    long start = System.nanoTime();
    long last = jitMillis();
    long idleSince = start;
    while (System.nanoTime() - start < 20_000_000_000L) {
      Thread.sleep(100);
      long now = jitMillis();
      if (now != last) {
        last = now;
        idleSince = System.nanoTime();
      } else if (System.nanoTime() - idleSince >= 500_000_000L) {
        break;
      }
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** Time the JIT compilers have spent so far, over all their threads. */
  private static long jitMillis() {
    return java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
  }

  /** Closes the server without the checked exception of {@code KeyBrokerServer.close}. */
  private record Broker(KeyBrokerServer server) implements AutoCloseable {
    @Override
    public void close() {
      try {
        server.close();
      } catch (Exception e) {
        // Already stopping.
      }
    }
  }
}
