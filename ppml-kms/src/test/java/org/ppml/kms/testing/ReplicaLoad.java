package org.ppml.kms.testing;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.ppml.attestation.simulated.DevHome;
import org.ppml.crypto.kms.DataKey;
import org.ppml.kmsclient.broker.KeyBrokerAdminClient;
import org.ppml.kmsclient.broker.KeyBrokerClient;
import org.ppml.kmsclient.broker.KeyBrokerException;

/**
 * Load on a broker (one, or replicas behind a load balancer): enclave clients that attest and
 * unwrap in a closed loop, checking every released key against the one wrapped at setup, and
 * administrators creating keys. It records what was acknowledged, when requests failed, and any
 * release of the revocable key to a request that started after its policy was revoked.
 */
public final class ReplicaLoad {
  /** The key whose policy {@link #revoke} replaces with one the clients do not meet. */
  public static final String REVOCABLE = "revocable";

  private static final byte[] MRENCLAVE = filled(0xaa);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int KEYS = 3;

  private final URI url;
  private final SSLContext tls;
  private final DevHome home;
  private final KeyBrokerAdminClient admin;
  private final String allowPolicy;
  private final Map<String, DataKey> wrapped = new ConcurrentHashMap<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean stop;
  // Between these two instants the revocation is in flight: a request started then may be
  // denied (it is not an error) or given the key (it is not a violation).
  private volatile long revokeSentAt = Long.MAX_VALUE;
  private volatile long revokedAt = Long.MAX_VALUE;

  /** Everything acknowledged, per kind and key. */
  public final Map<String, AtomicLong> unwrapsAcknowledged = new ConcurrentHashMap<>();

  public final AtomicLong attestsAcknowledged = new AtomicLong();
  public final Set<String> keysCreated = ConcurrentHashMap.newKeySet();

  /** System.nanoTime of every failed request (not counting the expected denials). */
  public final ConcurrentLinkedQueue<Long> errors = new ConcurrentLinkedQueue<>();

  /** What failed, for a message (the first few). */
  public final ConcurrentLinkedQueue<String> errorKinds = new ConcurrentLinkedQueue<>();

  /** Releases of the revocable key to requests that started after the revocation: must be 0. */
  public final AtomicLong releasesAfterRevocation = new AtomicLong();

  /** Releases whose bytes differ from the key wrapped at setup: must be 0. */
  public final AtomicLong wrongKeys = new AtomicLong();

  public ReplicaLoad(URI url, SSLContext tls, DevHome home, String adminToken) {
    this.url = url;
    this.tls = tls;
    this.home = home;
    this.admin = new KeyBrokerAdminClient(url, tls, adminToken, TIMEOUT);
    this.allowPolicy =
        "{\"mrSigner\":\""
            + java.util.HexFormat.of().formatHex(home.mrSigner())
            + "\",\"isvProdId\":0,\"allowSimulated\":true,\"allowDebug\":true}";
  }

  /** Creates the keys and wraps one data key under each. */
  public void setUp() throws Exception {
    KeyBrokerClient setup = client();
    for (int i = 0; i < KEYS; i++) {
      admin.createKey("load-" + i, allowPolicy);
      wrapped.put("load-" + i, setup.dataKey("load-" + i));
    }
    admin.createKey(REVOCABLE, allowPolicy);
    wrapped.put(REVOCABLE, setup.dataKey(REVOCABLE));
  }

  private KeyBrokerClient client() throws Exception {
    return new KeyBrokerClient(url, tls, home.provider(MRENCLAVE), TIMEOUT);
  }

  /**
   * Starts {@code enclaves} enclave clients and {@code admins} administrators.
   *
   * @param attestEvery each enclave client attests afresh every this many unwraps (1: every time)
   */
  public void start(int enclaves, int admins, int attestEvery) throws Exception {
    List<String> names = new ArrayList<>(wrapped.keySet());
    for (int c = 0; c < enclaves; c++) {
      KeyBrokerClient client = client();
      int first = c;
      threads.add(
          new Thread(
              () -> {
                for (int i = 0; !stop; i++) {
                  String key = names.get((first + i) % names.size());
                  long started = System.nanoTime();
                  try {
                    if (i % attestEvery == 0) {
                      client.attest();
                      attestsAcknowledged.incrementAndGet();
                    }
                    DataKey expected = wrapped.get(key);
                    try (DataKey got = client.unwrap(expected.wrapped())) {
                      if (!Arrays.equals(got.keyBytes(), expected.keyBytes())) {
                        wrongKeys.incrementAndGet();
                      }
                    }
                    unwrapsAcknowledged
                        .computeIfAbsent(key, k -> new AtomicLong())
                        .incrementAndGet();
                    if (key.equals(REVOCABLE) && started > revokedAt) {
                      releasesAfterRevocation.incrementAndGet();
                    }
                  } catch (KeyBrokerException e) {
                    // A request that started before the revocation was sent may still read the
                    // new policy: a denial that comes back after it was sent is the revocation
                    // working, not a failure.
                    if (!(key.equals(REVOCABLE)
                        && e.status() == 403
                        && System.nanoTime() > revokeSentAt)) {
                      failed(e);
                    }
                  } catch (Exception e) {
                    failed(e);
                  }
                }
              },
              "enclave-" + c));
    }
    for (int a = 0; a < admins; a++) {
      String prefix = "adm-" + a + "-";
      threads.add(
          new Thread(
              () -> {
                for (int i = 0; !stop; i++) {
                  try {
                    admin.createKey(prefix + i, allowPolicy);
                    keysCreated.add(prefix + i);
                  } catch (Exception e) {
                    failed(e);
                  }
                }
              },
              "admin-" + a));
    }
    threads.forEach(Thread::start);
  }

  private void failed(Exception e) {
    errors.add(System.nanoTime());
    if (errorKinds.size() < 20) {
      errorKinds.add(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /**
   * Replaces the revocable key's policy with one no client meets; once this returns, no request
   * that starts may be given the key.
   */
  public void revoke() throws Exception {
    revokeSentAt = System.nanoTime();
    admin.setPolicy(
        REVOCABLE,
        "{\"mrSigner\":\"" + "00".repeat(32) + "\",\"isvProdId\":0,\"allowSimulated\":true}");
    revokedAt = System.nanoTime();
  }

  /** Stops every thread and waits for them. */
  public void stop() throws InterruptedException {
    stop = true;
    for (Thread t : threads) {
      t.join(30_000);
    }
  }

  /** Unwraps acknowledged, over all keys. */
  public long unwraps() {
    return unwrapsAcknowledged.values().stream().mapToLong(AtomicLong::get).sum();
  }

  /**
   * The failover gap: how long requests were failing after {@code sinceNanos}, as the number of 100
   * ms windows in which at least one request failed, times 100 ms.
   */
  public double gapMillis(long sinceNanos) {
    java.util.Set<Long> windows = new java.util.HashSet<>();
    for (long t : errors) {
      if (t >= sinceNanos) {
        windows.add((t - sinceNanos) / 100_000_000L);
      }
    }
    return windows.size() * 100.0;
  }

  /** When requests failed, in ms after {@code sinceNanos} (negative: before), sorted. */
  public List<Long> errorOffsetsMillis(long sinceNanos) {
    return errors.stream().map(t -> (t - sinceNanos) / 1_000_000L).sorted().toList();
  }

  private static byte[] filled(int v) {
    byte[] b = new byte[32];
    Arrays.fill(b, (byte) v);
    return b;
  }
}
