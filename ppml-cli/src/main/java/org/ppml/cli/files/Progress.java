package org.ppml.cli.files;

import java.io.PrintWriter;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A bytes-and-throughput progress bar on the command's error writer, shown only on an interactive
 * terminal and never with {@code --json}, so that pipes and scripts see clean output.
 */
final class Progress implements AutoCloseable {
  /**
   * Rendered width: the classic 80-column terminal less the last column, which some terminals wrap
   * on. The library's own console consumer would ask the terminal, but it writes to a {@code
   * PrintStream} and we write to the command's writer.
   */
  private static final int WIDTH = 79;

  /**
   * Where a bar may go.
   *
   * @param err the command's error writer
   * @param terminal whether a person is watching it on a terminal
   */
  record Target(PrintWriter err, boolean terminal) {
    /**
     * The command's error writer; interactive when the JVM has a console (no redirected
     * stdin/stdout).
     */
    static Target of(CommandSpec spec) {
      return new Target(spec.commandLine().getErr(), System.console() != null);
    }
  }

  private final ProgressBar bar;
  private final PrintWriter err;

  private Progress(ProgressBar bar, PrintWriter err) {
    this.bar = bar;
    this.err = err;
  }

  static Progress create(String task, long totalBytes, boolean json, Target target) {
    if (json || !target.terminal()) {
      return new Progress(null, target.err());
    }
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(Math.max(1, totalBytes))
            .setUnit(" MiB", 1 << 20)
            .showSpeed()
            .setStyle(ProgressBarStyle.ASCII)
            .setConsumer(new LineConsumer(target.err()))
            .build();
    return new Progress(bar, target.err());
  }

  void advance(long bytes) {
    if (bar != null) {
      bar.stepBy(bytes);
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
      err.flush();
    }
  }

  /** Redraws the bar in place on one line ({@code \r}), and ends the line when the bar closes. */
  private static final class LineConsumer implements ProgressBarConsumer {
    private final PrintWriter err;

    LineConsumer(PrintWriter err) {
      this.err = err;
    }

    @Override
    public int getMaxRenderedLength() {
      return WIDTH;
    }

    @Override
    public void accept(String rendered) {
      synchronized (err) {
        err.print('\r');
        err.print(rendered);
        err.flush();
      }
    }

    @Override
    public void close() {
      synchronized (err) {
        err.println();
        err.flush();
      }
    }
  }
}
