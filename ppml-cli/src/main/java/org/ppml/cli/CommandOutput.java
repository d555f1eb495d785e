package org.ppml.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;

/**
 * Where a command's result goes: one JSON object on stdout with {@code --json}, human-readable
 * lines otherwise. Progress and notes go to stderr so that stdout stays machine-readable.
 */
public final class CommandOutput {
  private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private final boolean json;
  private final PrintWriter out;
  private final PrintWriter err;

  public CommandOutput(boolean json, PrintWriter out, PrintWriter err) {
    this.json = json;
    this.out = out;
    this.err = err;
  }

  public boolean json() {
    return json;
  }

  /** A new empty JSON object to fill with results. */
  public static ObjectNode object() {
    return JSON.createObjectNode();
  }

  /** Prints the result object on stdout in JSON mode; does nothing otherwise. */
  public void result(ObjectNode result) {
    if (json) {
      try {
        out.println(JSON.writeValueAsString(result));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
      out.flush();
    }
  }

  /** A human-readable line on stdout, suppressed in JSON mode. */
  public void line(String text) {
    if (!json) {
      out.println(text);
      out.flush();
    }
  }

  /** A note or progress line on stderr, shown in both modes. */
  public void note(String text) {
    err.println(text);
    err.flush();
  }

  public PrintWriter err() {
    return err;
  }
}
