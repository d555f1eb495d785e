package org.ppml.cli.kms;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.ppml.kms.KmsServeCommand;
import org.ppml.kms.KmsServeOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ppml kms serve}: runs the key broker until the process is stopped. Its options are the
 * broker's own {@link KmsServeOptions}, mixed in, so picocli parses the command line once into the
 * object the broker reads (config file merging, start-up, banner): both entry points behave the
 * same.
 *
 * <p>It takes no {@code --json}: it prints a start-up banner and then serves. Scripts read {@code
 * <data>/endpoint.json} ({@code <state>/endpoint.json} with PostgreSQL), which the broker rewrites
 * on every start.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Run the key broker (KBS 0.4.0 + PPML extension + admin API) over TLS until stopped.",
      "Writes <data>/endpoint.json {url, tlsSha256} on every start and <data>/admin-token (0600) on the first;"
          + " with a PostgreSQL --data, both go to --state DIR."
    })
final class ServeCommand implements Callable<Integer> {
  @Mixin KmsServeOptions options;

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
      return KmsServeCommand.run(options, out, err, true);
    } finally {
      out.close();
      err.close();
    }
  }
}
