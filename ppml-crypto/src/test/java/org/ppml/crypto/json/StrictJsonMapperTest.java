package org.ppml.crypto.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class StrictJsonMapperTest {
  private final ObjectMapper json = StrictJsonMapper.create(4, 16);

  record Pair(int a, int b) {}

  @Test
  void acceptsAWellFormedDocument() throws Exception {
    assertEquals(2, json.readTree("{\"a\":1,\"b\":[2]}").get("b").get(0).asInt());
    assertEquals(new Pair(1, 2), json.readValue("{\"a\":1,\"b\":2}", Pair.class));
  }

  @Test
  void refusesDuplicatesDepthLongStringsLongNumbersTrailingTokensAndUnknownProperties() {
    for (String bad :
        new String[] {
          "{\"a\":1,\"a\":2}",
          "{\"a\":[[[[1]]]]}",
          "{\"a\":\"" + "x".repeat(17) + "\"}",
          "{\"a\":" + "9".repeat(33) + "}",
          "{\"a\":1} {}",
        }) {
      assertThrows(JsonProcessingException.class, () -> json.readTree(bad), bad);
    }
    JsonProcessingException e =
        assertThrows(
            JsonProcessingException.class,
            () -> json.readValue("{\"a\":1,\"b\":2,\"c\":3}", Pair.class));
    assertTrue(e.getMessage().contains("\"c\""), e.getMessage());
  }
}
