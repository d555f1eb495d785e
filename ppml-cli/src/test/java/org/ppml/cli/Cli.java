package org.ppml.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the real command line in process and captures what it printed. */
final class Cli {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Result(int exit, String out, String err) {
    /**
     * Asserts docs/cli.md error behaviour: this exit code, exactly one line on stderr that contains
     * every fragment, and no stack trace.
     */
    void assertError(int expectedExit, String... fragments) {
      String where = "exit " + exit + ", stderr: " + err + ", stdout: " + out;
      if (exit != expectedExit) {
        throw new AssertionError("expected exit " + expectedExit + "; " + where);
      }
      if (err.strip().lines().count() != 1 || err.contains("\tat ") || err.contains("Exception")) {
        throw new AssertionError("expected one error line and no stack trace; " + where);
      }
      for (String f : fragments) {
        if (!err.contains(f)) {
          throw new AssertionError("stderr lacks \"" + f + "\"; " + where);
        }
      }
    }

    JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (Exception e) {
        throw new AssertionError("stdout is not one JSON object: " + out + "\nstderr: " + err, e);
      }
    }
  }

  private Cli() {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = PpmlMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(exit, out.toString(), err.toString());
  }
}
