package org.ppml.cli.gramine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.ppml.graphene.install.GramineInstallation;

/**
 * One program running under {@code gramine-direct}: the LibOS without an enclave, with the
 * manifest's mounts, trusted files and strict file check, fixed argv and env. Its stdout lines go
 * to a consumer and to {@code LOG.stdout}; Gramine's own log (stderr) goes to a file, which {@link
 * #subprocessAttempts} reads: with {@code sys.disallow_subprocesses = true} and {@code
 * loader.log_level} at warning or above, Gramine logs every refused {@code fork}/{@code
 * vfork}/{@code clone} of a process.
 */
public final class GramineDirectRun implements AutoCloseable {

  /** What Gramine ff71d7a logs (libos_clone.c) for each vfork, which becomes a fork. */
  static final String VFORK = "vfork was called by the application";

  /** ... and, once, when the manifest refuses a new process. */
  static final String REFUSED =
      "tried to create a subprocess, but this is disabled (sys.disallow_subprocesses = true)";

  private final Process process;
  private final Path log;
  private final Thread relay;

  private GramineDirectRun(Process process, Path log, Thread relay) {
    this.process = process;
    this.log = log;
    this.relay = relay;
  }

  /**
   * @param gramine the installation
   * @param manifest {@code X.manifest}; gramine-direct runs {@code X} from its directory
   * @param log where Gramine's stderr goes
   * @param stdout receives each line the program prints
   * @return the running program
   * @throws IOException if gramine-direct cannot start
   */
  public static GramineDirectRun start(
      GramineInstallation gramine, Path manifest, Path log, Consumer<String> stdout)
      throws IOException {
    String name = manifest.getFileName().toString();
    if (!name.endsWith(".manifest")) {
      throw new IllegalArgumentException(manifest + " does not end in .manifest");
    }
    ProcessBuilder pb =
        new ProcessBuilder(
                gramine.tool("gramine-direct").toString(),
                name.substring(0, name.length() - ".manifest".length()))
            .directory(manifest.getParent().toFile())
            .redirectError(log.toFile());
    // gramine-direct needs nothing from the environment, and the manifest passes nothing through
    // that is not on its allow-list; start it with an empty one.
    pb.environment().clear();
    Process p = pb.start();
    Thread relay =
        new Thread(
            () -> {
              try (BufferedReader r =
                      new BufferedReader(
                          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                  java.io.Writer copy =
                      Files.newBufferedWriter(
                          log.resolveSibling(log.getFileName() + ".stdout"),
                          StandardCharsets.UTF_8)) {
                for (String line; (line = r.readLine()) != null; ) {
                  copy.write(line);
                  copy.write('\n');
                  copy.flush();
                  stdout.accept(line);
                }
              } catch (IOException e) {
                // The program ended; its exit code and log say why.
              }
            },
            "gramine-direct-stdout");
    relay.setDaemon(true);
    relay.start();
    return new GramineDirectRun(p, log, relay);
  }

  /**
   * @return whether the program is still running
   */
  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * @param seconds how long to wait
   * @return the exit code
   * @throws IOException if it did not end in time (it is then stopped)
   */
  public int waitFor(long seconds) throws IOException, InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("the program under gramine-direct did not end in " + seconds + " s");
    }
    relay.join(5000);
    return process.exitValue();
  }

  /**
   * @return how many child processes the program tried to start and Gramine refused (none ran: the
   *     count is of attempts), from Gramine's log
   */
  public long refusedSubprocesses() throws IOException {
    try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
      List<String> hits = lines.filter(l -> l.contains(VFORK) || l.contains(REFUSED)).toList();
      long vforks = hits.stream().filter(l -> l.contains(VFORK)).count();
      return vforks > 0 ? vforks : hits.size();
    }
  }

  /**
   * @param max at most this many lines
   * @return the end of Gramine's log, for an error message
   */
  public String logTail(int max) throws IOException {
    List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", all.subList(Math.max(0, all.size() - max), all.size()));
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
