package org.ppml.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Where a command's result goes: one JSON object on stdout with {@code --json}, human-readable
 * lines otherwise. Progress and notes go to stderr so that stdout stays machine-readable.
 */
public final class CommandOutput {
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

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

  /**
   * A JSON object holding {@code fields}: maps, lists, strings, numbers and booleans, as the
   * libraries' reports are shaped.
   */
  public static ObjectNode object(Map<String, ?> fields) {
    return JSON.valueToTree(fields);
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

  /**
   * Human mode: a result's fields as aligned {@code name value} lines, nested objects under dotted
   * names, lists of values comma-separated, nulls left out. Suppressed in JSON mode, where {@link
   * #result} prints the same object.
   */
  public void fields(ObjectNode result) {
    if (json) {
      return;
    }
    List<String[]> rows = new ArrayList<>();
    flatten("", result, rows);
    int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0) + 2;
    for (String[] row : rows) {
      out.println(row[0] + " ".repeat(width - row[0].length()) + row[1]);
    }
    out.flush();
  }

  private static void flatten(String prefix, JsonNode node, List<String[]> rows) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), rows);
      }
    } else if (node.isArray() && node.size() > 0 && node.get(0).isContainerNode()) {
      for (int i = 0; i < node.size(); i++) {
        flatten(prefix + "[" + i + "]", node.get(i), rows);
      }
    } else if (node.isArray()) {
      List<String> items = new ArrayList<>();
      node.forEach(item -> items.add(item.asText()));
      rows.add(new String[] {prefix, items.isEmpty() ? "(none)" : String.join(", ", items)});
    } else if (!node.isNull()) {
      rows.add(new String[] {prefix, node.asText()});
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
