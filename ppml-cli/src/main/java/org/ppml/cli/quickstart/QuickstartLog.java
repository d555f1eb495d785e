package org.ppml.cli.quickstart;

import java.nio.file.Path;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.AppenderRef;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Sends the log of Spark, Hadoop and the embedded broker to the workspace's {@code quickstart.log}
 * instead of the console while the quickstart runs.
 *
 * <p>The console is the quickstart's own step-by-step output. Spark's log does not belong there:
 * the expected denial of step 9 makes Spark log the failed stage (and the tasks it kills
 * afterwards, asynchronously, with a stack trace) after the step has already reported it as one
 * line. The file keeps every warning for whoever wants the detail. {@link #close()} puts the
 * console back, so a quickstart run inside a longer-lived JVM (tests) leaves logging as it found
 * it.
 */
final class QuickstartLog implements AutoCloseable {
  /** The log file's name in the workspace. */
  static final String FILE_NAME = "quickstart.log";

  private final LoggerContext context;
  private final LoggerConfig root;
  private final FileAppender file;
  private final Appender[] console;
  private final Level[] consoleLevels;

  private QuickstartLog(
      LoggerContext context,
      LoggerConfig root,
      FileAppender file,
      Appender[] console,
      Level[] consoleLevels) {
    this.context = context;
    this.root = root;
    this.file = file;
    this.console = console;
    this.consoleLevels = consoleLevels;
  }

  /** Redirects the root logger's appenders to {@code workspace/quickstart.log}. */
  static QuickstartLog redirect(Path workspace) {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    LoggerConfig root = config.getRootLogger();
    FileAppender file =
        FileAppender.newBuilder()
            .setName("ppml-quickstart-file")
            .withFileName(workspace.resolve(FILE_NAME).toString())
            .withAppend(true)
            .setLayout(
                PatternLayout.newBuilder()
                    .withConfiguration(config)
                    .withPattern("%d{HH:mm:ss} %p %c{1}: %m%n")
                    .build())
            .setConfiguration(config)
            .build();
    file.start();
    Appender[] console = root.getAppenders().values().toArray(new Appender[0]);
    Level[] levels = new Level[console.length];
    for (int i = 0; i < console.length; i++) {
      String name = console[i].getName();
      for (AppenderRef ref : root.getAppenderRefs()) {
        if (ref.getRef().equals(name)) {
          levels[i] = ref.getLevel(); // null: the logger's own level decides
        }
      }
      root.removeAppender(name);
    }
    root.addAppender(file, null, null);
    context.updateLoggers();
    return new QuickstartLog(context, root, file, console, levels);
  }

  @Override
  public void close() {
    root.removeAppender(file.getName());
    for (int i = 0; i < console.length; i++) {
      root.addAppender(console[i], consoleLevels[i], null);
    }
    context.updateLoggers();
    file.stop();
  }
}
