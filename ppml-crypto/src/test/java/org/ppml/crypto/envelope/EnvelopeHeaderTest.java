package org.ppml.crypto.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ppml.crypto.IntegrityException;

class EnvelopeHeaderTest {
  private static final byte[] WRAPPED = new byte[60];

  private static EnvelopeHeader sample() {
    return new EnvelopeHeader(262144, "local:/keys", "sales", 3, WRAPPED);
  }

  @Test
  void encodesTheExactLayout() {
    byte[] h = sample().encode();
    assertEquals(1024, h.length);
    assertArrayEquals("PPML".getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(h, 4));
    assertEquals(1, h[4]);
    assertEquals(0, h[5]);
    int len = ((h[6] & 0xFF) << 8) | (h[7] & 0xFF);
    String json = new String(h, 8, len, StandardCharsets.UTF_8);
    assertEquals(
        "{\"suite\":\"AES256_GCM_HKDF_SHA256\",\"segmentSize\":262144,\"kms\":\"local:/keys\","
            + "\"keyName\":\"sales\",\"keyVersion\":3,\"wrappedKey\":\""
            + java.util.Base64.getEncoder().encodeToString(WRAPPED)
            + "\"}",
        json);
    for (int i = 8 + len; i < 1024; i++) {
      assertEquals(0, h[i], "padding at " + i);
    }
  }

  @Test
  void decodesWhatItEncodes() throws IntegrityException {
    assertEquals(sample(), EnvelopeHeader.decode(sample().encode(), "f"));
  }

  @Test
  void everyHeaderCarriesAWrappedKey() {
    // There is no "resource mode": a header without wrappedKey neither encodes nor parses.
    assertThrows(
        NullPointerException.class,
        () -> new EnvelopeHeader(4096, "kbs+https://kbs:8080", "repo/type/tag", 1, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> new EnvelopeHeader(4096, "kbs+https://kbs:8080", "tag", 1, new byte[0]));
    assertRejected(
        withJson(
            "{\"suite\":\"AES256_GCM_HKDF_SHA256\",\"segmentSize\":4096,\"kms\":\"kbs+https://kbs:8080\",\"keyName\":\"tag\",\"keyVersion\":1}"),
        "'wrappedKey' is missing");
  }

  private static byte[] withJson(String json) {
    byte[] text = json.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(1024);
    b.put("PPML".getBytes(StandardCharsets.US_ASCII))
        .put((byte) 1)
        .put((byte) 0)
        .putShort((short) text.length)
        .put(text);
    return b.array();
  }

  private static void assertRejected(byte[] block, String expectedFragment) {
    IntegrityException e =
        assertThrows(
            IntegrityException.class, () -> EnvelopeHeader.decode(block, "data/part-0.csv"));
    assertEquals(IntegrityException.HEADER, e.segment());
    assertEquals("data/part-0.csv", e.source());
    assertTrue(e.getMessage().contains("data/part-0.csv"), e.getMessage());
    assertTrue(e.getMessage().contains(expectedFragment), e.getMessage());
  }

  @Test
  void rejectsEachMalformation() {
    byte[] good = sample().encode();
    assertRejected(Arrays.copyOf(good, 1023), "shorter than");
    byte[] magic = good.clone();
    magic[0] = 'Q';
    assertRejected(magic, "magic");
    byte[] version = good.clone();
    version[4] = 2;
    assertRejected(version, "unsupported format version 2");
    byte[] reserved = good.clone();
    reserved[5] = 1;
    assertRejected(reserved, "reserved");
    byte[] zeroLength = good.clone();
    zeroLength[6] = 0;
    zeroLength[7] = 0;
    assertRejected(zeroLength, "JSON length 0");
    byte[] oversized = good.clone();
    oversized[6] = (byte) (1017 >> 8);
    oversized[7] = (byte) (1017 & 0xFF);
    assertRejected(oversized, "JSON length 1017");
    byte[] padding = good.clone();
    padding[1000] = 1;
    assertRejected(padding, "padding at offset 1000");
    assertRejected(withJson("{\"suite\":"), "malformed");
    assertRejected(withJson("[1,2]"), "not an object");
    assertRejected(
        withJson(
            "{\"suite\":\"AES128_GCM\",\"segmentSize\":4096,\"kms\":\"local:/k\",\"keyName\":\"a\",\"keyVersion\":1}"),
        "unsupported suite");
    assertRejected(
        withJson(
            "{\"suite\":\"AES256_GCM_HKDF_SHA256\",\"segmentSize\":100,\"kms\":\"local:/k\",\"keyName\":\"a\",\"keyVersion\":1}"),
        "segment size 100");
    assertRejected(
        withJson(
            "{\"suite\":\"AES256_GCM_HKDF_SHA256\",\"segmentSize\":4096,\"kms\":\"local:/k\",\"keyVersion\":1}"),
        "'keyName' is missing");
    assertRejected(
        withJson(
            "{\"suite\":\"AES256_GCM_HKDF_SHA256\",\"suite\":\"AES256_GCM_HKDF_SHA256\",\"segmentSize\":4096,\"kms\":\"l:\",\"keyName\":\"a\",\"keyVersion\":1}"),
        "malformed");
    assertRejected(
        withJson(
            "{\"suite\":\"AES256_GCM_HKDF_SHA256\",\"segmentSize\":4096,\"kms\":\"l:\",\"keyName\":\"a\",\"keyVersion\":1,\"extra\":1}"),
        "unknown header field 'extra'");
    assertRejected(
        withJson(
            "{\"suite\":\"AES256_GCM_HKDF_SHA256\",\"segmentSize\":4096,\"kms\":\"l:\",\"keyName\":\"a\",\"keyVersion\":0}"),
        "key version 0");
    assertRejected(
        withJson(
            "{\"suite\":\"AES256_GCM_HKDF_SHA256\",\"segmentSize\":4096,\"kms\":\"l:\",\"keyName\":\"a\",\"keyVersion\":1,\"wrappedKey\":\"***\"}"),
        "base64");
    byte[] notUtf8 =
        withJson(
            "{\"suite\":\"AES256_GCM_HKDF_SHA256\",\"segmentSize\":4096,\"kms\":\"l:\",\"keyName\":\"a\",\"keyVersion\":1}");
    notUtf8[40] = (byte) 0xC3;
    assertRejected(notUtf8, "UTF-8");
  }

  @Test
  void refusesToEncodeJsonThatDoesNotFit() {
    String longKms = "local:/" + "x".repeat(1000);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new EnvelopeHeader(4096, longKms, "k", 1, WRAPPED).encode());
    assertTrue(e.getMessage().contains("limit is 1016"));
  }

  @Test
  void randomMutationsOnlyEverRaiseIntegrityException() {
    byte[] good = sample().encode();
    Random random = new Random(42);
    for (int i = 0; i < 20_000; i++) {
      byte[] m = good.clone();
      int edits = 1 + random.nextInt(4);
      for (int e = 0; e < edits; e++) {
        int at = random.nextInt(random.nextBoolean() ? 200 : 1024);
        m[at] = (byte) random.nextInt(256);
      }
      try {
        EnvelopeHeader.decode(m, "fuzz");
      } catch (IntegrityException expected) {
        // the only allowed failure
      }
    }
  }
}
