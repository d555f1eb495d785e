package org.ppml.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The quickstart as its own JVM, as {@code bin/ppml} runs it: the console it prints (Spark's log4j
 * output included, which an in-process run cannot capture) and signals it receives are real.
 */
final class QuickstartProcess {
  private QuickstartProcess() {}

  static ProcessBuilder builder(Path home, String... more) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The --add-opens Spark needs on Java 17, as this test JVM got them from the POM.
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-opens") || arg.startsWith("--add-exports")) {
        command.add(arg);
      }
    }
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            "org.ppml.cli.PpmlMain",
            "quickstart",
            "--home",
            home.toString(),
            "--scale",
            "tiny"));
    command.addAll(List.of(more));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    return pb;
  }

  static Process start(Path home, String... more) throws IOException {
    return builder(home, more).redirectErrorStream(true).start();
  }
}
