package org.ppml.graphene.manifest;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * Known answer from the real writer: Debian 12's tomli_w 1.0.0 ({@code /usr/bin/python3 -c 'import
 * tomli_w; print(repr(tomli_w.dumps(doc)))'}) over the same document, covering the paths the
 * project's manifests do not take (inline arrays of tables, nested arrays, empty tables, quoted
 * keys, every escape).
 */
class TomliWriterTest {

  @Test
  void writesWhatTomliW100Writes() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode doc = f.objectNode();
    ObjectNode a = doc.putObject("a");
    var shortAot = a.putArray("short");
    shortAot.addObject().put("x", 1).put("y", "z");
    shortAot.addObject().put("x", 2);
    var nested = a.putArray("nested");
    nested.addArray().add(1).add(2);
    nested.addArray().add("s");
    a.putArray("empty");
    a.putObject("e2");
    doc.put("key with space", "tab\there \u0001 \u007f \"q\" \\ \n é");
    doc.putObject("b").putObject("c").put("d", true);
    doc.putArray("long")
        .addObject()
        .put("uri", "file:/" + "x".repeat(80))
        .put("sha256", "0".repeat(64));
    ObjectNode t = doc.putObject("t");
    t.putObject("inl").putArray("k").add(1);
    t.put("v", false);

    String expected =
        "\"key with space\" = \"tab\there \\u0001 \\u007f \\\"q\\\" \\\\ \\n é\"\n\n[a]\nshort = [\n"
            + "    { x = 1, y = \"z\" },\n    { x = 2 },\n]\nnested = [\n    [\n        1,\n"
            + "        2,\n    ],\n    [\n        \"s\",\n    ],\n]\nempty = []\n\n[a.e2]\n\n"
            + "[b.c]\nd = true\n\n[[long]]\nuri = \"file:/"
            + "x".repeat(80)
            + "\"\nsha256 = \""
            + "0".repeat(64)
            + "\"\n\n[t]\nv = false\n\n[t.inl]\nk = [\n    1,\n]\n";
    assertEquals(expected, TomliWriter.dumps(doc));
  }

  @Test
  void refusesValuesAManifestCannotHold() {
    ObjectNode doc = JsonNodeFactory.instance.objectNode();
    doc.put("x", 1.5);
    assertThrows(IllegalArgumentException.class, () -> TomliWriter.dumps(doc));
  }
}
