package org.ppml.kms.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.ppml.kms.store.PostgresLocation;

/**
 * A real PostgreSQL server for tests: {@code initdb} in a temporary directory, {@code postgres} on
 * loopback with password (SCRAM) authentication, stopped and deleted by {@link #close}. Binaries
 * come from {@code $PPML_PG_BIN} or Debian's {@code postgresql} package ({@code
 * /usr/lib/postgresql/N/bin}). PostgreSQL refuses to run as root, so when the tests do, the server
 * runs as the unprivileged user {@code nobody} through {@code runuser}.
 */
public final class PostgresServer implements AutoCloseable {
  /** The one line a skipped test prints: what is missing and how to get it. */
  public static final String HOW_TO_ENABLE =
      "PostgreSQL tests skipped: no initdb/pg_ctl under $PPML_PG_BIN or /usr/lib/postgresql/*/bin;"
          + " enable them with `apt-get install -y postgresql` (or set PPML_PG_BIN)";

  private static final String USER = "ppml";
  private static final String RUN_AS = "nobody";
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static PostgresServer shared;

  private final Path bin;
  private final Path dir;
  private final int port;
  private final String password;
  private final boolean asRoot;

  private PostgresServer(Path bin, Path dir, int port, String password, boolean asRoot) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.password = password;
    this.asRoot = asRoot;
  }

  /** The directory holding {@code initdb} and {@code pg_ctl}, if PostgreSQL is installed. */
  public static Optional<Path> binaries() {
    String env = System.getenv("PPML_PG_BIN");
    if (env != null && !env.isEmpty()) {
      Path p = Path.of(env);
      return Files.isExecutable(p.resolve("initdb")) ? Optional.of(p) : Optional.empty();
    }
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(Comparator.comparing(b -> versionOf(b.getParent())));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static int versionOf(Path versionDir) {
    try {
      return Integer.parseInt(versionDir.getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Whether a server can be started here. */
  public static boolean available() {
    return binaries().isPresent();
  }

  /**
   * One server for the whole test JVM, started on first use and stopped when the JVM exits; each
   * test takes its own database from it ({@link #createDatabase}).
   */
  public static synchronized PostgresServer shared() throws Exception {
    if (shared == null) {
      Path dir = Files.createTempDirectory("ppml-pg-");
      PostgresServer s = start(dir);
      Runtime.getRuntime().addShutdownHook(new Thread(s::closeQuietly, "ppml-pg-stop"));
      shared = s;
    }
    return shared;
  }

  /** Starts a server whose files live in {@code dir} (which it deletes on close). */
  public static PostgresServer start(Path dir) throws Exception {
    Path bin = binaries().orElseThrow(() -> new IllegalStateException(HOW_TO_ENABLE));
    boolean root = "root".equals(System.getProperty("user.name"));
    byte[] raw = new byte[18];
    new SecureRandom().nextBytes(raw);
    String password = HexFormat.of().formatHex(raw);
    Path pwfile = dir.resolve("pwfile");
    Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
    if (root) {
      UserPrincipal nobody =
          dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(RUN_AS);
      Files.setOwner(dir, nobody);
      Files.setOwner(pwfile, nobody);
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    PostgresServer server = new PostgresServer(bin, dir, port, password, root);
    server.run(
        bin.resolve("initdb").toString(),
        "-D",
        dir.resolve("data").toString(),
        "-U",
        USER,
        "--auth=scram-sha-256",
        "--pwfile=" + pwfile,
        "-E",
        "UTF8",
        "--locale=C",
        "--no-instructions");
    Files.delete(pwfile);
    server.resume();
    return server;
  }

  /**
   * Starts the server on its files and port: after {@link #start}, or again after {@link #stop}.
   */
  public void resume() throws IOException, InterruptedException {
    run(
        bin.resolve("pg_ctl").toString(),
        "-D",
        dir.resolve("data").toString(),
        "-l",
        dir.resolve("postgres.log").toString(),
        "-w",
        "-t",
        "60",
        "-o",
        "-c listen_addresses=127.0.0.1 -p "
            + port
            + " -k "
            + dir
            + " -c max_connections=300 -c shared_buffers=32MB -c fsync=on"
            + " -c synchronous_commit=on",
        "start");
  }

  /**
   * Stops the server ({@code pg_ctl stop -m fast}: clients are disconnected) and keeps its files,
   * for {@link #resume}: a database outage under a running broker.
   */
  public void stop() throws IOException, InterruptedException {
    run(
        bin.resolve("pg_ctl").toString(),
        "-D",
        dir.resolve("data").toString(),
        "-m",
        "fast",
        "-w",
        "stop");
  }

  private void run(String... command) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    if (asRoot) {
      cmd.addAll(List.of("runuser", "-u", RUN_AS, "--"));
    }
    cmd.addAll(List.of(command));
    Path log = Files.createTempFile("ppml-pg-cmd", ".log");
    try {
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .directory(dir.toFile())
              .start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(command[0] + " did not finish in 120 s");
      }
      if (p.exitValue() != 0) {
        throw new IOException(
            Path.of(command[0]).getFileName()
                + " exited "
                + p.exitValue()
                + ": "
                + Files.readString(log)
                + serverLog());
      }
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private String serverLog() {
    try {
      return "\n" + Files.readString(dir.resolve("postgres.log"));
    } catch (IOException e) {
      return "";
    }
  }

  /** The port on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** The superuser's password (tests only). */
  public String password() {
    return password;
  }

  /** The user tests connect as. */
  public String user() {
    return USER;
  }

  /** {@code postgresql://USER@127.0.0.1:PORT/DB}, as {@code --data} takes it. */
  public String url(String database) {
    return "postgresql://" + USER + "@127.0.0.1:" + port + "/" + database;
  }

  /** A fresh, empty database and where it is (with the password). */
  public PostgresLocation createDatabase() throws Exception {
    String name = "t" + DATABASES.incrementAndGet();
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/postgres", USER, password);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return PostgresLocation.parse(url(name), password.toCharArray());
  }

  /** Stops the server ({@code pg_ctl stop -m fast}) and deletes its files. */
  @Override
  public void close() throws Exception {
    try {
      run(
          bin.resolve("pg_ctl").toString(),
          "-D",
          dir.resolve("data").toString(),
          "-m",
          "fast",
          "-w",
          "stop");
    } finally {
      try (Stream<Path> all = Files.walk(dir)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private void closeQuietly() {
    try {
      close();
    } catch (Exception e) {
      System.err.println("could not stop the test PostgreSQL in " + dir + ": " + e.getMessage());
    }
  }
}
