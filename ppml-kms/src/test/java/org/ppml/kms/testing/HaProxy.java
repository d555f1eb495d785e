package org.ppml.kms.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A real HAProxy (Debian's {@code haproxy}) in TCP mode in front of broker replicas on loopback:
 * round robin, no stickiness, TLS passed through (clients pin the replicas' shared certificate), a
 * health check every 200 ms, and a failed connect retried on another replica.
 */
public final class HaProxy implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;

  private HaProxy(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** The haproxy binary, if installed. */
  public static Optional<Path> binary() {
    for (String p : List.of("/usr/sbin/haproxy", "/usr/bin/haproxy", "/usr/local/sbin/haproxy")) {
      if (Files.isExecutable(Path.of(p))) {
        return Optional.of(Path.of(p));
      }
    }
    return Optional.empty();
  }

  /** Starts HAProxy on 127.0.0.1:{@code port} in front of {@code backends} (loopback ports). */
  public static HaProxy start(Path dir, int port, List<Integer> backends)
      throws IOException, InterruptedException {
    Path bin = binary().orElseThrow(() -> new IllegalStateException("haproxy is not installed"));
    StringBuilder cfg =
        new StringBuilder(
            "global\n"
                + "  maxconn 1024\n"
                + "defaults\n"
                + "  mode tcp\n"
                + "  timeout connect 1s\n"
                + "  timeout client 60s\n"
                + "  timeout server 60s\n"
                + "  retries 3\n"
                + "  option redispatch\n"
                + "listen kms\n"
                + "  bind 127.0.0.1:"
                + port
                + "\n"
                + "  balance roundrobin\n"
                + "  default-server inter 200ms fall 2 rise 2\n");
    for (int i = 0; i < backends.size(); i++) {
      cfg.append("  server r").append(i).append(" 127.0.0.1:").append(backends.get(i));
      cfg.append(" check\n");
    }
    Path config = dir.resolve("haproxy.cfg");
    Files.writeString(config, cfg.toString());
    Path log = dir.resolve("haproxy.log");
    Process p =
        new ProcessBuilder(bin.toString(), "-f", config.toString(), "-db")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline && p.isAlive()) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return new HaProxy(p, port, log);
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    p.destroyForcibly();
    throw new IOException("haproxy did not start: " + Files.readString(log));
  }

  /** The front port. */
  public int port() {
    return port;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    process.destroy();
    process.waitFor();
    Files.deleteIfExists(log);
  }
}
