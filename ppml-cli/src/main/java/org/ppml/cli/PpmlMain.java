package org.ppml.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of the {@code ppml} command. */
public final class PpmlMain {
  private PpmlMain() {}

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs one command line and returns its exit code; used by {@link #main} and by tests. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    return commandLine(out, err).execute(args);
  }

  static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cmd = new CommandLine(new PpmlCommand());
    cmd.setOut(out);
    cmd.setErr(err);
    cmd.setExecutionExceptionHandler(new ErrorReporter());
    cmd.setParameterExceptionHandler(
        (ex, argv) -> {
          String where = ex.getCommandLine().getCommandSpec().qualifiedName();
          ex.getCommandLine()
              .getErr()
              .println("ppml: " + ex.getMessage() + " (see '" + where + " --help')");
          return ExitCodes.ERROR;
        });
    return cmd;
  }
}
