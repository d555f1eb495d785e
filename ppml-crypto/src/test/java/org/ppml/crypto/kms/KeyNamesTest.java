package org.ppml.crypto.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyNamesTest {
  @Test
  void acceptsTheRuleAndNothingElse() throws Exception {
    for (String ok : List.of("a", "0", "sales", "A.b_c-9", "x".repeat(128), "a..b")) {
      assertTrue(KeyNames.isValid(ok), ok);
      KeyNames.check(ok);
    }
    for (String bad :
        Arrays.asList(
            null,
            "",
            ".",
            "..",
            ".x",
            "-x",
            "_x",
            "a/b",
            "../a",
            "a b",
            "ä",
            "x".repeat(129),
            "a\n",
            "a:b")) {
      assertFalse(KeyNames.isValid(bad), String.valueOf(bad));
      KmsException e = assertThrows(KmsException.class, () -> KeyNames.check(bad));
      assertEquals(KmsException.Reason.INVALID_ARGUMENT, e.reason());
      assertTrue(e.getMessage().contains(KeyNames.RULE), e.getMessage());
    }
  }
}
