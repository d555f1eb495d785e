package org.ppml.cli.kms;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ppml.cli.dev.DevHomeOption;
import org.ppml.kms.KmsServeCommand;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ppml kms serve}: runs the key broker until the process is stopped. Picocli gives the
 * options help text and early usage errors; the broker's own {@link KmsServeCommand} does the rest
 * (config file merging, start-up, banner), so both entry points behave the same.
 *
 * <p>It takes no {@code --json}: it prints a start-up banner and then serves. Scripts read {@code
 * <data>/endpoint.json}, which the broker rewrites on every start.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Run the key broker (KBS 0.4.0 + PPML extension + admin API) over TLS until stopped.",
      "Writes <data>/endpoint.json {url, tlsSha256} on every start and <data>/admin-token (0600) on the first."
    })
final class ServeCommand implements Callable<Integer> {
  @Option(
      names = "--dev",
      description = "Development mode: trust only simulated evidence from the dev home.")
  boolean dev;

  @Mixin DevHomeOption devHome;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "TOML config (listen, data, dev, devHome, collateral, pccs, tokenLifetimeSeconds, tlsCert, tlsKey, masterKeyFile, metricsKeyNames); flags win.")
  Path config;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      description =
          "Address to listen on (default "
              + KmsServeCommand.DEFAULT_LISTEN
              + "; port 0 picks a free one).")
  String listen;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Data directory (default ~/.ppml/kms).")
  Path data;

  @ArgGroup(exclusive = true)
  Collateral collateral;

  static final class Collateral {
    @Option(
        names = "--collateral",
        paramLabel = "FILE",
        description = "Collateral bundle for production quote verification.")
    Path bundle;

    @Option(
        names = "--pccs",
        paramLabel = "URL",
        description = "PCCS or PCS v4 base URL for production collateral.")
    String pccs;
  }

  @Option(
      names = "--token-lifetime",
      paramLabel = "SECONDS",
      description = "Attestation token lifetime (default 600).")
  Long tokenLifetime;

  @Option(
      names = "--tls-cert",
      paramLabel = "PEM",
      description = "Serve this certificate instead of the self-signed one (with --tls-key).")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "The key of --tls-cert.")
  Path tlsKey;

  @Option(
      names = "--master-key-file",
      paramLabel = "FILE",
      description =
          "Master key file (0600) instead of <data>/master.key; $PPML_KMS_MASTER_KEY wins over both.")
  Path masterKeyFile;

  @Option(
      names = "--metrics-key-names",
      description =
          "Label releases and denials in /metrics with key names (off by default: a key name can say what data it protects).")
  boolean metricsKeyNames;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintStream out =
        new PrintStream(
            new WriterOutputStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8);
    PrintStream err =
        new PrintStream(
            new WriterOutputStream(spec.commandLine().getErr()), true, StandardCharsets.UTF_8);
    try {
      return KmsServeCommand.run(arguments().toArray(String[]::new), out, err, true);
    } finally {
      out.close();
      err.close();
    }
  }

  /** The broker's own command line for the options given; absent options keep its defaults. */
  private List<String> arguments() {
    List<String> args = new ArrayList<>();
    add(args, "--config", config);
    if (dev) {
      args.add("--dev");
    }
    if (devHome.given()) {
      add(args, "--dev-home", devHome.directory());
    }
    add(args, "--listen", listen);
    add(args, "--data", data);
    if (collateral != null) {
      add(args, "--collateral", collateral.bundle);
      add(args, "--pccs", collateral.pccs);
    }
    add(args, "--token-lifetime", tokenLifetime);
    add(args, "--tls-cert", tlsCert);
    add(args, "--tls-key", tlsKey);
    add(args, "--master-key-file", masterKeyFile);
    if (metricsKeyNames) {
      args.add("--metrics-key-names");
    }
    return args;
  }

  private static void add(List<String> args, String flag, Object value) {
    if (value != null) {
      args.add(flag);
      args.add(value.toString());
    }
  }
}
