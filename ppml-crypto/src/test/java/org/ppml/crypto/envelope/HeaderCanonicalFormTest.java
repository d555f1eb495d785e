package org.ppml.crypto.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.crypto.IntegrityException;
import org.ppml.crypto.kms.local.LocalKms;
import org.ppml.crypto.testing.TestKeyStores;

/**
 * The header has exactly one accepted encoding, the writer's: every single-bit flip of a real
 * file's 1024-byte header is rejected by the reader, and so is every re-serialisation of the same
 * JSON (trailing bytes, a second object, whitespace, escapes, duplicate, unknown or reordered
 * members, a {@code jsonLength} that takes in padding), each with an {@link IntegrityException}
 * naming the file, the offset and the member.
 */
class HeaderCanonicalFormTest {
  private static final int SEGMENT = 4096;
  @TempDir static Path dir;
  private static LocalKms kms;
  private static byte[] plaintext;
  private static byte[] file;
  private static String json;

  @BeforeAll
  static void encryptSample() throws IOException {
    kms = TestKeyStores.withKeys(dir, "sales", "other");
    // More than one segment: a changed segment size moves the first tag (see singleSegment...).
    plaintext = new byte[2 * SEGMENT + 123];
    new Random(7).nextBytes(plaintext);
    file = encrypt(plaintext, SEGMENT);
    int length = ((file[6] & 0xFF) << 8) | (file[7] & 0xFF);
    json = new String(file, 8, length, StandardCharsets.UTF_8);
  }

  private static byte[] encrypt(byte[] data, int segmentSize) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PpmlEncryptor enc = PpmlEncryptor.create(kms, "sales", segmentSize);
        OutputStream s = enc.encrypt(out)) {
      s.write(data);
    }
    return out.toByteArray();
  }

  /** Reads the whole file through the library's reader; returns the plaintext. */
  private static byte[] decrypt(byte[] bytes) throws IOException {
    try (InputStream in =
        new PpmlDecryptor(new KmsKeyResolver(kms))
            .open(new ByteArrayInputStream(bytes), "data/part-0.ppml")) {
      return in.readAllBytes();
    }
  }

  private static byte[] withHeaderJson(String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    byte[] out = file.clone();
    Arrays.fill(out, 0, EnvelopeHeader.LENGTH, (byte) 0);
    ByteBuffer.wrap(out)
        .put("PPML".getBytes(StandardCharsets.US_ASCII))
        .put((byte) 1)
        .put((byte) 0)
        .putShort((short) utf8.length)
        .put(utf8);
    return out;
  }

  private static IntegrityException rejected(byte[] bytes, String... fragments) {
    IntegrityException e = assertThrows(IntegrityException.class, () -> decrypt(bytes));
    assertEquals("data/part-0.ppml", e.source());
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), () -> "expected '" + f + "' in: " + e.getMessage());
    }
    return e;
  }

  @Test
  void theUntouchedFileDecrypts() throws IOException {
    assertArrayEquals(plaintext, decrypt(file));
    // The fixture is what the writer produces, so the rewrites below start from canonical JSON.
    assertArrayEquals(
        Arrays.copyOf(file, EnvelopeHeader.LENGTH),
        EnvelopeHeader.decode(file, "f").encode(),
        "the writer's header re-encodes to itself");
  }

  @Test
  void everySingleBitFlipOfTheHeaderIsRejected() {
    List<String> accepted = new ArrayList<>();
    int rejectedByDecoder = 0;
    for (int bit = 0; bit < EnvelopeHeader.LENGTH * 8; bit++) {
      byte[] m = file.clone();
      m[bit / 8] ^= (byte) (1 << (bit % 8));
      try {
        EnvelopeHeader.decode(m, "f");
      } catch (IntegrityException e) {
        rejectedByDecoder++;
      }
      try {
        decrypt(m);
        accepted.add("byte " + (bit / 8) + " bit " + (bit % 8));
      } catch (IntegrityException expected) {
        // rejected: by the decoder, the KMS match, the unwrap or the first segment's tag
      } catch (IOException e) {
        throw new AssertionError("untyped failure for bit " + bit + ": " + e, e);
      }
    }
    assertEquals(List.of(), accepted, "flips that still decrypted");
    // Most flips never get past the decoder; the rest are bytes of values the unwrap (key name,
    // version, wrapped key), the KMS match or the segment layout check.
    assertTrue(
        rejectedByDecoder > 8192 - 8 * json.length(), "decoder rejected " + rejectedByDecoder);
  }

  @Test
  void jsonLengthThatTakesInPaddingIsRejected() {
    for (int extra : new int[] {1, 2, 100, EnvelopeHeader.MAX_JSON_LENGTH - json.length()}) {
      byte[] m = file.clone();
      int length = json.length() + extra;
      m[6] = (byte) (length >> 8);
      m[7] = (byte) length;
      rejected(m, "jsonLength (offset 6) is " + length, "exactly one object");
    }
  }

  @Test
  void bytesAfterTheObjectInsideJsonLengthAreRejected() {
    rejected(withHeaderJson(json + "x"), "jsonLength");
    // 800 bytes where they fit (the fixture's KMS path is a long temporary directory)
    int room = EnvelopeHeader.MAX_JSON_LENGTH - json.length();
    rejected(withHeaderJson(json + "A".repeat(Math.min(800, room))), "jsonLength");
    rejected(withHeaderJson(json + "{\"kms\":\"evil\",\"keyName\":\"other\"}"), "jsonLength");
    rejected(withHeaderJson(json + " "), "jsonLength");
    rejected(withHeaderJson(json + "\n"), "jsonLength");
  }

  @Test
  void whitespaceAnywhereIsRejected() {
    rejected(withHeaderJson(" " + json), "jsonLength");
    rejected(withHeaderJson("\t" + json), "jsonLength");
    rejected(withHeaderJson(json.replace(",\"kms\"", ", \"kms\"")), "jsonLength");
    rejected(withHeaderJson(json.replace("\"kms\":", "\"kms\" :")), "jsonLength");
    // Whitespace in place of padding-length changes: the same length, still not the writer's.
    String shifted = " " + json.substring(0, json.length() - 2) + json.substring(json.length() - 1);
    assertEquals(json.length(), shifted.length());
    rejected(withHeaderJson(shifted));
  }

  @Test
  void escapesTheWriterDoesNotUseAreRejected() {
    // backslash-u for an ordinary letter, in a member name and in a value
    rejected(withHeaderJson(json.replace("\"suite\"", "\"\\u0073uite\"")), "jsonLength");
    rejected(withHeaderJson(json.replace("\"sales\"", "\"\\u0073ales\"")), "jsonLength");
    rejected(withHeaderJson(json.replace("local:", "local\\u003a")), "jsonLength");
    // an escaped solidus, which JSON allows and the writer never produces
    rejected(withHeaderJson(json.replace("/", "\\/")), "jsonLength");
    // same length, different bytes: the escape replaces six characters with six
    String sameLength = json.replace("\"sales\"", "\"\\u0073\"");
    rejected(withHeaderJson(sameLength));
  }

  @Test
  void duplicateUnknownAndReorderedMembersAreRejected() {
    rejected(
        withHeaderJson(json.replace("{", "{\"keyName\":\"other\",")),
        "malformed"); // Jackson's strict duplicate detection
    rejected(
        withHeaderJson(json.substring(0, json.length() - 1) + ",\"keyName\":\"other\"}"),
        "malformed");
    rejected(
        withHeaderJson(json.substring(0, json.length() - 1) + ",\"comment\":\"x\"}"),
        "unknown header field 'comment'");
    // The same members in another order: every value is right, the bytes are not the writer's.
    String suite = "\"suite\":\"AES256_GCM_HKDF_SHA256\",";
    assertTrue(json.startsWith("{" + suite));
    String reordered = "{" + json.substring(1 + suite.length(), json.length() - 1) + "," + suite;
    reordered = reordered.substring(0, reordered.length() - 1) + "}";
    assertEquals(json.length(), reordered.length());
    rejected(withHeaderJson(reordered), "offset 11", "JSON member 'suite'");
  }

  @Test
  void numbersInAnotherSpellingAreRejected() {
    String segment = "\"segmentSize\":" + SEGMENT;
    assertTrue(json.contains(segment));
    rejected(withHeaderJson(json.replace(segment, "\"segmentSize\":4096.0")), "segmentSize");
    rejected(withHeaderJson(json.replace(segment, "\"segmentSize\":4.096e3")), "segmentSize");
    rejected(withHeaderJson(json.replace(segment, "\"segmentSize\":04096")), "malformed");
    rejected(withHeaderJson(json.replace("\"keyVersion\":1", "\"keyVersion\":1.0")), "keyVersion");
  }

  @Test
  void nonCanonicalBase64IsRejected() throws IntegrityException {
    // A 61-byte wrapped key ends in a base64 character with four unused bits, and "==". A decoder
    // that ignores those bits would accept fifteen other spellings of the same key.
    byte[] wrapped = new byte[61];
    new Random(3).nextBytes(wrapped);
    EnvelopeHeader h = new EnvelopeHeader(SEGMENT, "local:/keys", "sales", 1, wrapped);
    byte[] good = h.encode();
    assertEquals(h, EnvelopeHeader.decode(good, "f"));
    int length = ((good[6] & 0xFF) << 8) | (good[7] & 0xFF);
    String text = new String(good, 8, length, StandardCharsets.UTF_8);
    int last = text.indexOf("==\"") - 1;
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    int index = alphabet.indexOf(text.charAt(last));
    for (int low = 1; low < 16; low++) {
      byte[] m = good.clone();
      m[8 + last] = (byte) alphabet.charAt(index ^ low);
      IntegrityException e =
          assertThrows(IntegrityException.class, () -> EnvelopeHeader.decode(m, "f"));
      assertTrue(e.getMessage().contains("JSON member 'wrappedKey'"), e.getMessage());
      assertTrue(e.getMessage().contains("offset " + (8 + last)), e.getMessage());
    }
    // Without its padding, the same key in another spelling.
    String unpadded = text.replace("==\"", "\"");
    byte[] m = good.clone();
    Arrays.fill(m, 6, EnvelopeHeader.LENGTH, (byte) 0);
    byte[] u = unpadded.getBytes(StandardCharsets.UTF_8);
    m[7] = (byte) u.length;
    m[6] = (byte) (u.length >> 8);
    System.arraycopy(u, 0, m, 8, u.length);
    assertThrows(IntegrityException.class, () -> EnvelopeHeader.decode(m, "f"));
  }

  @Test
  void nonZeroPaddingIsRejectedUpToTheLastByte() {
    for (int at : new int[] {8 + json.length(), 512, EnvelopeHeader.LENGTH - 1}) {
      byte[] m = file.clone();
      m[at] = 1;
      rejected(m, "padding at offset " + at);
    }
  }

  @Test
  void aChangedSegmentSizeOfASingleSegmentFileIsRejectedByTheDecoderOnlyWhenNotCanonical()
      throws IOException {
    // Documented limit (docs/format.md): when the whole body fits in one segment of either size,
    // the segment size does not enter the decryption, so a canonical edit of it decrypts the same
    // plaintext. The header bytes then differ from what was written; the plaintext does not.
    byte[] small = encrypt("id,amount\n1,10\n".getBytes(StandardCharsets.UTF_8), SEGMENT);
    EnvelopeHeader h = EnvelopeHeader.decode(small, "f");
    byte[] edited = small.clone();
    System.arraycopy(
        new EnvelopeHeader(8192, h.kms(), h.keyName(), h.keyVersion(), h.wrappedKey()).encode(),
        0,
        edited,
        0,
        EnvelopeHeader.LENGTH);
    assertArrayEquals(
        "id,amount\n1,10\n".getBytes(StandardCharsets.UTF_8), decrypt(edited), "same plaintext");
    // In the multi-segment fixture the same edit moves the first tag.
    byte[] big = file.clone();
    EnvelopeHeader fh = EnvelopeHeader.decode(file, "f");
    System.arraycopy(
        new EnvelopeHeader(8192, fh.kms(), fh.keyName(), fh.keyVersion(), fh.wrappedKey()).encode(),
        0,
        big,
        0,
        EnvelopeHeader.LENGTH);
    rejected(big);
  }
}
