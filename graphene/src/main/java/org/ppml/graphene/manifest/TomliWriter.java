package org.ppml.graphene.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes a TOML tree exactly as {@code tomli_w.dumps} 1.0.0 does (Debian 12's python3-tomli-w, the
 * writer behind Gramine's {@code Manifest.dump}), so that bytes this project writes are the bytes
 * {@code gramine-manifest} and {@code gramine-sgx-sign} write for the same tree.
 *
 * <p>Rules taken from tomli_w 1.0.0 {@code _writer.py}, in order:
 *
 * <ul>
 *   <li>a table writes its plain values ("literals") first, in insertion order, then its sub-tables
 *       in insertion order, each preceded by an empty line once anything was written;
 *   <li>a {@code [name]} header is written only when the table has literals or no sub-tables;
 *   <li>a non-empty array of tables becomes {@code [[name]]} sections unless every element fits on
 *       one 100-character line as an inline table, in which case it is an inline array;
 *   <li>inline arrays are always multi-line: one element per line, indented four spaces per nesting
 *       level, each followed by a comma;
 *   <li>strings are basic strings; {@code "}, {@code \} and control characters except tab are
 *       escaped ({@code \b \n \f \r \" \\}, else {@code \\u00xx}); keys are bare when made of
 *       {@code A-Za-z0-9_-}, else quoted the same way.
 * </ul>
 *
 * Only strings, booleans, integers, arrays and tables occur in manifests; anything else is refused.
 */
final class TomliWriter {

  private static final String ARRAY_INDENT = "    ";
  private static final int MAX_LINE_LENGTH = 100;

  /** tomli_w caches inline renderings by object identity; the output does not depend on it. */
  private final Map<JsonNode, String> inlineCache = new IdentityHashMap<>();

  private final StringBuilder out = new StringBuilder();

  private TomliWriter() {}

  /**
   * @param root the document
   * @return its TOML text as tomli_w 1.0.0 writes it
   */
  static String dumps(ObjectNode root) {
    TomliWriter w = new TomliWriter();
    w.table(root, "", false);
    return w.out.toString();
  }

  private record SubTable(String key, ObjectNode table, boolean insideAot) {}

  private void table(ObjectNode table, String name, boolean insideAot) {
    boolean yielded = false;
    List<Map.Entry<String, JsonNode>> literals = new ArrayList<>();
    List<SubTable> tables = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = table.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      if (v.isObject()) {
        tables.add(new SubTable(e.getKey(), (ObjectNode) v, false));
      } else if (isArrayOfTables(v) && !allSuitableInline((ArrayNode) v)) {
        for (JsonNode t : v) {
          tables.add(new SubTable(e.getKey(), (ObjectNode) t, true));
        }
      } else {
        literals.add(e);
      }
    }
    if (insideAot || (!name.isEmpty() && (!literals.isEmpty() || tables.isEmpty()))) {
      yielded = true;
      out.append(insideAot ? "[[" + name + "]]\n" : "[" + name + "]\n");
    }
    if (!literals.isEmpty()) {
      yielded = true;
      for (Map.Entry<String, JsonNode> e : literals) {
        out.append(keyPart(e.getKey())).append(" = ").append(literal(e.getValue(), 0)).append('\n');
      }
    }
    for (SubTable t : tables) {
      if (yielded) {
        out.append('\n');
      } else {
        yielded = true;
      }
      String keyPart = keyPart(t.key());
      table(t.table(), name.isEmpty() ? keyPart : name + "." + keyPart, t.insideAot());
    }
  }

  private String literal(JsonNode v, int nestLevel) {
    if (v.isBoolean()) {
      return v.booleanValue() ? "true" : "false";
    }
    if (v.isIntegralNumber()) {
      return v.bigIntegerValue().toString();
    }
    if (v.isTextual()) {
      return string(v.textValue());
    }
    if (v.isArray()) {
      return inlineArray((ArrayNode) v, nestLevel);
    }
    if (v.isObject()) {
      return inlineTable((ObjectNode) v);
    }
    throw new IllegalArgumentException("a Gramine manifest holds no " + v.getNodeType() + " value");
  }

  private String inlineTable(ObjectNode t) {
    String cached = inlineCache.get(t);
    if (cached != null) {
      return cached;
    }
    String rendered;
    if (t.isEmpty()) {
      rendered = "{}";
    } else {
      StringBuilder b = new StringBuilder("{ ");
      boolean first = true;
      for (Iterator<Map.Entry<String, JsonNode>> it = t.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!first) {
          b.append(", ");
        }
        first = false;
        b.append(keyPart(e.getKey())).append(" = ").append(literal(e.getValue(), 0));
      }
      rendered = b.append(" }").toString();
    }
    inlineCache.put(t, rendered);
    return rendered;
  }

  private String inlineArray(ArrayNode a, int nestLevel) {
    if (a.isEmpty()) {
      return "[]";
    }
    String itemIndent = ARRAY_INDENT.repeat(1 + nestLevel);
    StringBuilder b = new StringBuilder("[\n");
    boolean first = true;
    for (JsonNode item : a) {
      if (!first) {
        b.append(",\n");
      }
      first = false;
      b.append(itemIndent).append(literal(item, nestLevel + 1));
    }
    return b.append(",\n").append(ARRAY_INDENT.repeat(nestLevel)).append(']').toString();
  }

  private static boolean isArrayOfTables(JsonNode v) {
    if (!v.isArray() || v.isEmpty()) {
      return false;
    }
    for (JsonNode e : v) {
      if (!e.isObject()) {
        return false;
      }
    }
    return true;
  }

  private boolean allSuitableInline(ArrayNode a) {
    for (JsonNode t : a) {
      String line = ARRAY_INDENT + inlineTable((ObjectNode) t) + ",";
      // Python's len() counts code points.
      if (line.codePointCount(0, line.length()) > MAX_LINE_LENGTH || line.indexOf('\n') >= 0) {
        return false;
      }
    }
    return true;
  }

  static String keyPart(String key) {
    if (!key.isEmpty() && key.chars().allMatch(TomliWriter::isBareKeyChar)) {
      return key;
    }
    return string(key);
  }

  private static boolean isBareKeyChar(int c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_';
  }

  static String string(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\b' -> b.append("\\b");
        case '\n' -> b.append("\\n");
        case '\f' -> b.append("\\f");
        case '\r' -> b.append("\\r");
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if ((c < 0x20 && c != '\t') || c == 0x7f) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
