package org.ppml.kms.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import org.ppml.kms.BrokerException;
import org.ppml.kms.BrokerException.Kind;

/** Typed, bounded reads of request fields; a missing or mistyped field is a 400 that names it. */
final class JsonFields {
  private JsonFields() {}

  static String text(JsonNode n, String name, int maxLength) throws BrokerException {
    JsonNode v = n.get(name);
    if (v == null || !v.isTextual()) {
      throw new BrokerException(Kind.BAD_REQUEST, name + " must be a string");
    }
    if (v.textValue().length() > maxLength) {
      throw new BrokerException(Kind.BAD_REQUEST, name + " is longer than " + maxLength);
    }
    return v.textValue();
  }

  static int integer(JsonNode n, String name, int min, int max) throws BrokerException {
    JsonNode v = n.get(name);
    if (v == null
        || !v.isIntegralNumber()
        || !v.canConvertToInt()
        || v.intValue() < min
        || v.intValue() > max) {
      throw new BrokerException(
          Kind.BAD_REQUEST, name + " must be an integer in " + min + ".." + max);
    }
    return v.intValue();
  }

  static byte[] base64(JsonNode n, String name, int maxBytes) throws BrokerException {
    String s = text(n, name, maxBytes * 4 / 3 + 4);
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new BrokerException(Kind.BAD_REQUEST, name + " must be base64");
    }
  }

  static JsonNode object(JsonNode n, String name) throws BrokerException {
    JsonNode v = n.get(name);
    if (v == null || !v.isObject()) {
      throw new BrokerException(Kind.BAD_REQUEST, name + " must be an object");
    }
    return v;
  }
}
