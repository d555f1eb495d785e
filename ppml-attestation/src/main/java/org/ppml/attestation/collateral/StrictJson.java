package org.ppml.attestation.collateral;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.util.encoders.DecoderException;
import org.bouncycastle.util.encoders.Hex;
import org.ppml.crypto.json.StrictJsonMapper;

/**
 * Typed, bounded field access over untrusted collateral JSON.
 *
 * <p>Duplicate keys are rejected: Intel signs the raw text, and a document whose meaning depends on
 * which duplicate a parser keeps must not be accepted.
 */
final class StrictJson {
  static final int MAX_DOCUMENT_CHARS = 4 << 20;
  static final int MAX_ARRAY = 4096;

  private static final ObjectMapper MAPPER = StrictJsonMapper.create(64, MAX_DOCUMENT_CHARS);

  private StrictJson() {}

  static JsonNode parse(String text, String what) throws CollateralFormatException {
    if (text == null) {
      throw new CollateralFormatException(what + " is missing");
    }
    if (text.length() > MAX_DOCUMENT_CHARS) {
      throw new CollateralFormatException(
          what + " is larger than " + MAX_DOCUMENT_CHARS + " characters");
    }
    try {
      JsonNode node = MAPPER.readTree(text);
      if (node == null || !node.isObject()) {
        throw new CollateralFormatException(what + " is not a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new CollateralFormatException(
          what + " is not valid JSON: " + firstLine(e.getMessage()));
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  static JsonNode object(JsonNode parent, String name, String ctx)
      throws CollateralFormatException {
    JsonNode n = parent.get(name);
    if (n == null || !n.isObject()) {
      throw new CollateralFormatException(ctx + "." + name + " must be an object");
    }
    return n;
  }

  static String text(JsonNode parent, String name, String ctx) throws CollateralFormatException {
    JsonNode n = parent.get(name);
    if (n == null || !n.isTextual()) {
      throw new CollateralFormatException(ctx + "." + name + " must be a string");
    }
    return n.textValue();
  }

  static String optionalText(JsonNode parent, String name, String ctx)
      throws CollateralFormatException {
    JsonNode n = parent.get(name);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw new CollateralFormatException(ctx + "." + name + " must be a string");
    }
    return n.textValue();
  }

  static int uint(JsonNode parent, String name, String ctx, long max)
      throws CollateralFormatException {
    JsonNode n = parent.get(name);
    if (n == null
        || !n.isIntegralNumber()
        || !n.canConvertToLong()
        || n.longValue() < 0
        || n.longValue() > max) {
      throw new CollateralFormatException(ctx + "." + name + " must be an integer in 0.." + max);
    }
    return (int) n.longValue();
  }

  static boolean has(JsonNode parent, String name) {
    JsonNode n = parent.get(name);
    return n != null && !n.isNull();
  }

  static Instant instant(JsonNode parent, String name, String ctx)
      throws CollateralFormatException {
    String s = text(parent, name, ctx);
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new CollateralFormatException(ctx + "." + name + " is not an RFC 3339 UTC time");
    }
  }

  static byte[] hex(JsonNode parent, String name, String ctx, int expectedLength)
      throws CollateralFormatException {
    return hexValue(text(parent, name, ctx), ctx + "." + name, expectedLength);
  }

  /** Decodes hex; {@code expectedLength} &lt; 0 means any length up to the document bound. */
  static byte[] hexValue(String s, String what, int expectedLength)
      throws CollateralFormatException {
    if (s.length() % 2 != 0 || (expectedLength >= 0 && s.length() != expectedLength * 2)) {
      throw new CollateralFormatException(
          what + " must be " + (expectedLength >= 0 ? expectedLength + " bytes of " : "") + "hex");
    }
    for (int i = 0; i < s.length(); i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        throw new CollateralFormatException(what + " is not hex (character " + i + ")");
      }
    }
    try {
      return Hex.decode(s);
    } catch (DecoderException e) {
      throw new CollateralFormatException(what + " is not hex");
    }
  }

  static List<JsonNode> array(JsonNode parent, String name, String ctx, boolean required)
      throws CollateralFormatException {
    JsonNode n = parent.get(name);
    if (n == null || n.isNull()) {
      if (required) {
        throw new CollateralFormatException(ctx + "." + name + " must be an array");
      }
      return List.of();
    }
    if (!n.isArray()) {
      throw new CollateralFormatException(ctx + "." + name + " must be an array");
    }
    if (n.size() > MAX_ARRAY) {
      throw new CollateralFormatException(
          ctx + "." + name + " has more than " + MAX_ARRAY + " entries");
    }
    List<JsonNode> out = new ArrayList<>(n.size());
    n.forEach(out::add);
    return out;
  }

  static List<String> textArray(JsonNode parent, String name, String ctx)
      throws CollateralFormatException {
    List<String> out = new ArrayList<>();
    int i = 0;
    for (JsonNode e : array(parent, name, ctx, false)) {
      if (!e.isTextual()) {
        throw new CollateralFormatException(ctx + "." + name + "[" + i + "] must be a string");
      }
      out.add(e.textValue());
      i++;
    }
    return List.copyOf(out);
  }
}
