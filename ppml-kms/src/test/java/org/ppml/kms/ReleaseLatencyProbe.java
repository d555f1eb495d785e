package org.ppml.kms;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ppml.attestation.broker.KeyBrokerClient;
import org.ppml.crypto.kms.DataKey;
import org.ppml.crypto.kms.WrappedKey;

/**
 * A JMH-free measurement of release latency against a real broker on loopback: unwraps with a
 * cached token from N concurrent clients, then full auth+attest cycles. Not a test (surefire skips
 * it); run with {@code java -cp <test class path> org.ppml.kms.ReleaseLatencyProbe [clients] [unwraps]}.
 * Client and broker share the machine, so the numbers are a floor for a dedicated broker.
 */
public final class ReleaseLatencyProbe {
    private static long wallNanos;

    private ReleaseLatencyProbe() {}

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 32;
        int total = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        Path dir = Files.createTempDirectory("ppml-kms-probe");
        try (BrokerFixture broker = new BrokerFixture(dir)) {
            broker.admin().createKey("probe", broker.simulatedPolicy());
            WrappedKey wrapped;
            try (DataKey k = broker.enclaveClient().dataKey("probe")) {
                wrapped = k.wrapped();
            }
            List<KeyBrokerClient> pool = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                KeyBrokerClient c = broker.enclaveClient();
                c.token();
                pool.add(c);
            }
            ExecutorService exec = Executors.newFixedThreadPool(clients);
            // Warm-up: JIT, TLS sessions, SQLite page cache.
            run(exec, pool, wrapped, Math.min(total, 500));
            long[] unwrap = run(exec, pool, wrapped, total);
            report("unwrap, cached token", unwrap, clients);
            long[] attest = attest(exec, pool, Math.max(clients * 4, 200));
            report("auth+attest", attest, clients);
            exec.shutdown();
        }
    }

    private static long[] run(ExecutorService exec, List<KeyBrokerClient> pool, WrappedKey wrapped, int total)
            throws Exception {
        long[] latencies = new long[total];
        List<Future<?>> futures = new ArrayList<>();
        int per = total / pool.size();
        long start = System.nanoTime();
        for (int t = 0; t < pool.size(); t++) {
            final int base = t * per;
            final KeyBrokerClient c = pool.get(t);
            futures.add(exec.submit(() -> {
                for (int i = 0; i < per; i++) {
                    long s = System.nanoTime();
                    try (DataKey k = c.unwrap(wrapped)) {
                        latencies[base + i] = System.nanoTime() - s;
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        wallNanos = System.nanoTime() - start;
        return Arrays.copyOf(latencies, per * pool.size());
    }

    private static long[] attest(ExecutorService exec, List<KeyBrokerClient> pool, int total) throws Exception {
        long[] latencies = new long[total];
        List<Future<?>> futures = new ArrayList<>();
        int per = total / pool.size();
        long start = System.nanoTime();
        for (int t = 0; t < pool.size(); t++) {
            final int base = t * per;
            final KeyBrokerClient c = pool.get(t);
            futures.add(exec.submit(() -> {
                for (int i = 0; i < per; i++) {
                    long s = System.nanoTime();
                    c.attest();
                    latencies[base + i] = System.nanoTime() - s;
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        wallNanos = System.nanoTime() - start;
        return Arrays.copyOf(latencies, per * pool.size());
    }

    private static void report(String what, long[] latencies, int clients) {
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        double perSecond = sorted.length / (wallNanos / 1e9);
        System.out.printf("%s: %d calls, %d clients, %.0f/s, p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", what,
                sorted.length, clients, perSecond, sorted[sorted.length / 2] / 1e6,
                sorted[(int) (sorted.length * 0.99)] / 1e6, sorted[sorted.length - 1] / 1e6);
    }
}
