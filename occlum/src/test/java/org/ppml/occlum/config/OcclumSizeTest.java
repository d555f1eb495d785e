package org.ppml.occlum.config;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class OcclumSizeTest {

  @Test
  void occlumFormIsBinaryAndStrict() throws Exception {
    assertEquals(32L << 20, OcclumSize.parse("32MB", "f").bytes());
    assertEquals(1024, OcclumSize.parse("1KB", "f").bytes());
    assertEquals(7, OcclumSize.parse("7B", "f").bytes());
    assertEquals(3L << 40, OcclumSize.parse("3TB", "f").bytes());
    for (String bad :
        new String[] {"32mb", "32M", "MB", "-1MB", "1.5GB", "", "99999999999999999999GB"}) {
      OcclumConfigException e =
          assertThrows(OcclumConfigException.class, () -> OcclumSize.parse(bad, "the.field"));
      assertTrue(e.getMessage().startsWith("the.field"), e.getMessage());
    }
    assertThrows(OcclumConfigException.class, () -> OcclumSize.parse("9000000TB", "f"), "overflow");
    assertThrows(OcclumConfigException.class, () -> OcclumSize.parse(null, "f"));
  }

  @Test
  void userInputIsLenient() throws Exception {
    assertEquals(8L << 30, OcclumSize.parseUserInput("8G", "--heap").bytes());
    assertEquals(8L << 30, OcclumSize.parseUserInput("8gib", "--heap").bytes());
    assertEquals(512L << 20, OcclumSize.parseUserInput("512m", "--heap").bytes());
    assertEquals(4096, OcclumSize.parseUserInput("4096", "--heap").bytes());
    assertThrows(OcclumConfigException.class, () -> OcclumSize.parseUserInput("8X", "--heap"));
  }

  @Test
  void printsTheLargestExactUnit() {
    assertEquals("8GB", OcclumSize.ofBytes(8L << 30).toString());
    assertEquals("1536MB", OcclumSize.ofBytes(1536L << 20).toString());
    assertEquals("1025B", OcclumSize.ofBytes(1025).toString());
    assertEquals("0B", OcclumSize.ofBytes(0).toString());
    assertEquals("2MB", OcclumSize.ofBytes((1L << 20) + 1).roundUpToMegabytes().toString());
    assertEquals("1MB", OcclumSize.ofBytes((2L << 20) - 1).roundDownToMegabytes().toString());
  }
}
