package org.ppml.kms;

import java.io.IOException;
import java.io.PrintStream;
import org.ppml.kms.http.KeyBrokerServer;
import picocli.CommandLine;

/**
 * {@code ppml kms serve [--dev [--dev-home DIR]] [--config FILE] [--listen HOST:PORT] [--data
 * DIR|postgresql://USER@HOST:PORT/DB [--state DIR] [--db-password-file F]] [--collateral FILE|DIR |
 * --pccs URL] [--token-lifetime SECONDS] [--tls-cert PEM --tls-key PEM] [--master-key-file F]
 * [--metrics-key-names]}.
 *
 * <p>The options are declared once, in {@link KmsServeOptions}; {@link #main} parses them here, and
 * the CLI's {@code ppml kms serve} mixes the same class in and calls {@link #run(KmsServeOptions,
 * PrintStream, PrintStream, boolean)}: one parse either way. The master key comes from {@code
 * PPML_KMS_MASTER_KEY} if set, else from the key file. Exit codes follow docs/cli.md: 2 for usage
 * and start-up errors.
 */
public final class KmsServeCommand {
  /** Default listen address. */
  public static final String DEFAULT_LISTEN = KmsServeOptions.DEFAULT_LISTEN;

  private KmsServeCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, true));
  }

  /**
   * Parses {@code args} and runs as {@link #run(KmsServeOptions, PrintStream, PrintStream,
   * boolean)}.
   */
  public static int run(String[] args, PrintStream out, PrintStream err, boolean block) {
    KmsServeOptions options;
    try {
      options = parseOptions(args);
    } catch (IllegalArgumentException e) {
      err.println("ppml kms serve: " + e.getMessage());
      return 2;
    }
    return run(options, out, err, block);
  }

  /**
   * Starts the broker {@code options} describe and, if {@code block}, serves until the process is
   * stopped or the calling thread is interrupted, which stops the broker. Returns the exit code (0
   * after a clean stop).
   */
  public static int run(KmsServeOptions options, PrintStream out, PrintStream err, boolean block) {
    KeyBrokerConfig config;
    try {
      config = options.toConfig(System.getenv());
    } catch (IllegalArgumentException | IOException e) {
      err.println("ppml kms serve: " + e.getMessage());
      return 2;
    }
    try {
      // On a terminal the operator sees the first admin token once, as an interactive start
      // should; anywhere else (a container, a service manager) stdout is a log.
      KeyBrokerServer server = KeyBrokerServer.start(config, out, System.console() != null);
      if (block) {
        try {
          server.join();
        } catch (InterruptedException e) {
          // An embedding caller (the CLI in process, a test) stops the broker by interrupting its
          // thread. Stop first, then restore the flag: Jetty's graceful stop waits, and would give
          // up.
          server.close();
          Thread.currentThread().interrupt();
        }
      }
      return 0;
    } catch (Exception e) {
      err.println("ppml kms serve: cannot start: " + e.getMessage());
      return 2;
    }
  }

  /** The configuration {@code args} describe, with the process environment. */
  public static KeyBrokerConfig parse(String[] args) throws IOException {
    return parseOptions(args).toConfig(System.getenv());
  }

  private static KmsServeOptions parseOptions(String[] args) {
    KmsServeOptions options = new KmsServeOptions();
    try {
      new CommandLine(options).parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    return options;
  }
}
