package org.ppml.crypto.envelope;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.ppml.crypto.IntegrityException;
import org.ppml.crypto.json.StrictJsonMapper;
import org.ppml.crypto.kms.WrappedKey;
import org.ppml.crypto.stream.SegmentLayout;

/** The 1024-byte PPML v1 file header (layout in this package's documentation). Immutable. */
public final class EnvelopeHeader {
  /** Total header size; the body starts here. */
  public static final int LENGTH = 1024;

  /** The only format version this code reads and writes. */
  public static final int VERSION = 1;

  /** The only suite of version 1. */
  public static final String SUITE = "AES256_GCM_HKDF_SHA256";

  /** Largest JSON that fits after the 8-byte preamble. */
  public static final int MAX_JSON_LENGTH = LENGTH - 8;

  private static final byte[] MAGIC = {'P', 'P', 'M', 'L'};

  /** The JSON members, all required, in the order the writer puts them. */
  private static final List<String> MEMBERS =
      List.of("suite", "segmentSize", "kms", "keyName", "keyVersion", "wrappedKey");

  private static final Set<String> FIELDS = Set.copyOf(MEMBERS);
  private static final int MAX_WRAPPED_KEY = 512;
  // The strict factory (duplicates refused, depth and lengths bounded) without the mapper's
  // trailing-token check: bytes after the object are caught by the canonical-form check, whose
  // message names jsonLength and the offset, which says more than "malformed".
  private static final ObjectMapper JSON =
      new ObjectMapper(StrictJsonMapper.factory(2, MAX_JSON_LENGTH));

  private final int segmentSize;
  private final String kms;
  private final String keyName;
  private final int keyVersion;
  private final byte[] wrappedKey;

  /**
   * @param wrappedKey the data key wrapped under {@code keyName} version {@code keyVersion}; every
   *     PPML v1 header carries one
   */
  public EnvelopeHeader(
      int segmentSize, String kms, String keyName, int keyVersion, byte[] wrappedKey) {
    SegmentLayout.of(segmentSize);
    this.segmentSize = segmentSize;
    this.kms = Objects.requireNonNull(kms, "kms");
    this.keyName = Objects.requireNonNull(keyName, "keyName");
    if (keyVersion < 1) {
      throw new IllegalArgumentException("key version must be >= 1");
    }
    this.keyVersion = keyVersion;
    Objects.requireNonNull(wrappedKey, "wrappedKey");
    if (wrappedKey.length == 0) {
      throw new IllegalArgumentException("wrapped key must not be empty");
    }
    this.wrappedKey = wrappedKey.clone();
  }

  /** A header for a data key wrapped by a KMS. */
  public static EnvelopeHeader of(int segmentSize, String kms, WrappedKey key) {
    return new EnvelopeHeader(segmentSize, kms, key.keyName(), key.keyVersion(), key.wrapped());
  }

  public String suite() {
    return SUITE;
  }

  public int segmentSize() {
    return segmentSize;
  }

  public String kms() {
    return kms;
  }

  public String keyName() {
    return keyName;
  }

  public int keyVersion() {
    return keyVersion;
  }

  /** The wrapped data key. */
  public byte[] wrappedKey() {
    return wrappedKey.clone();
  }

  /** The wrapped data key with the primary key name and version it is wrapped under. */
  public WrappedKey wrapped() {
    return new WrappedKey(keyName, keyVersion, wrappedKey);
  }

  /** A copy naming another wrapped key (re-wrap after rotation). */
  public EnvelopeHeader withWrappedKey(WrappedKey key) {
    return new EnvelopeHeader(segmentSize, kms, key.keyName(), key.keyVersion(), key.wrapped());
  }

  /** The exact 1024 header bytes. */
  public byte[] encode() {
    return canonical().block;
  }

  /**
   * The one serialisation of this header, and where each JSON member starts in it, so that a
   * decoder can name the member a differing byte belongs to.
   */
  private record Canonical(byte[] block, int jsonLength, int[] memberStarts) {
    /** What the byte at {@code offset} of the header is, in words. */
    String describe(int offset) {
      if (offset < 4) {
        return "the magic";
      }
      if (offset == 4) {
        return "the version";
      }
      if (offset == 5) {
        return "the reserved byte";
      }
      if (offset < 8) {
        return "jsonLength";
      }
      int jsonEnd = 8 + jsonLength;
      if (offset == 8) {
        return "the opening brace of the JSON object";
      }
      if (offset >= jsonEnd) {
        return "the zero padding after the JSON object";
      }
      if (offset == jsonEnd - 1) {
        return "the closing brace of the JSON object";
      }
      int member = 0;
      while (member + 1 < memberStarts.length && memberStarts[member + 1] <= offset) {
        member++;
      }
      return "JSON member '" + MEMBERS.get(member) + "'";
    }
  }

  private Canonical canonical() {
    ByteArrayOutputStream text = new ByteArrayOutputStream(256);
    int[] starts = new int[MEMBERS.size()];
    try (JsonGenerator gen = JSON.getFactory().createGenerator(text)) {
      gen.writeStartObject();
      String encodedWrappedKey = Base64.getEncoder().encodeToString(wrappedKey);
      for (int i = 0; i < MEMBERS.size(); i++) {
        gen.flush();
        starts[i] = 8 + text.size();
        String name = MEMBERS.get(i);
        switch (name) {
          case "suite" -> gen.writeStringField(name, SUITE);
          case "segmentSize" -> gen.writeNumberField(name, segmentSize);
          case "kms" -> gen.writeStringField(name, kms);
          case "keyName" -> gen.writeStringField(name, keyName);
          case "keyVersion" -> gen.writeNumberField(name, keyVersion);
          case "wrappedKey" -> gen.writeStringField(name, encodedWrappedKey);
          default -> throw new IllegalStateException(name);
        }
      }
      gen.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] json = text.toByteArray();
    if (json.length > MAX_JSON_LENGTH) {
      throw new IllegalArgumentException(
          "header JSON is "
              + json.length
              + " bytes; the limit is "
              + MAX_JSON_LENGTH
              + " (shorten the KMS reference or key name)");
    }
    ByteBuffer out = ByteBuffer.allocate(LENGTH);
    out.put(MAGIC).put((byte) VERSION).put((byte) 0).putShort((short) json.length).put(json);
    return new Canonical(out.array(), json.length, starts);
  }

  /** Whether {@code prefix} starts with the PPML magic. */
  public static boolean hasMagic(byte[] prefix) {
    return prefix.length >= MAGIC.length
        && Arrays.equals(prefix, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
  }

  /**
   * Parses and validates a header.
   *
   * @param source the file name for error messages
   * @throws IntegrityException on anything but a well-formed v1 header
   */
  public static EnvelopeHeader decode(byte[] block, String source) throws IntegrityException {
    if (block.length < LENGTH) {
      throw bad(
          source,
          "file is shorter than the " + LENGTH + "-byte header (" + block.length + " bytes)");
    }
    if (!hasMagic(block)) {
      throw bad(source, "not a PPML file (no \"PPML\" magic)");
    }
    if (block[4] != VERSION) {
      throw bad(
          source,
          "unsupported format version "
              + (block[4] & 0xFF)
              + " (this reader knows version "
              + VERSION
              + ")");
    }
    if (block[5] != 0) {
      throw bad(source, "reserved byte is " + (block[5] & 0xFF) + ", expected 0");
    }
    int jsonLength = ((block[6] & 0xFF) << 8) | (block[7] & 0xFF);
    if (jsonLength == 0 || jsonLength > MAX_JSON_LENGTH) {
      throw bad(source, "header JSON length " + jsonLength + " is outside 1.." + MAX_JSON_LENGTH);
    }
    for (int i = 8 + jsonLength; i < LENGTH; i++) {
      if (block[i] != 0) {
        throw bad(source, "non-zero byte in header padding at offset " + i);
      }
    }
    JsonNode json = parseJson(block, jsonLength, source);
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw bad(source, "unknown header field '" + truncate(name) + "'");
      }
    }
    String suite = text(json, "suite", source);
    if (!SUITE.equals(suite)) {
      throw bad(source, "unsupported suite '" + truncate(suite) + "' (expected " + SUITE + ")");
    }
    long segmentSize = integer(json, "segmentSize", source);
    if (!SegmentLayout.isValidSegmentSize(segmentSize)) {
      throw bad(
          source,
          "segment size "
              + segmentSize
              + " is outside "
              + SegmentLayout.MIN_SEGMENT_SIZE
              + ".."
              + SegmentLayout.MAX_SEGMENT_SIZE);
    }
    long keyVersion = integer(json, "keyVersion", source);
    if (keyVersion < 1 || keyVersion > Integer.MAX_VALUE) {
      throw bad(source, "key version " + keyVersion + " is out of range");
    }
    String kms = text(json, "kms", source);
    String keyName = text(json, "keyName", source);
    String encodedWrappedKey = text(json, "wrappedKey", source);
    if (encodedWrappedKey.length() > MAX_WRAPPED_KEY) {
      throw bad(
          source,
          "wrappedKey is not a base64 string of at most " + MAX_WRAPPED_KEY + " characters");
    }
    byte[] wrapped;
    try {
      wrapped = Base64.getDecoder().decode(encodedWrappedKey);
    } catch (IllegalArgumentException e) {
      throw bad(source, "wrappedKey is not valid base64");
    }
    if (wrapped.length == 0) {
      throw bad(source, "wrappedKey is empty");
    }
    EnvelopeHeader header =
        new EnvelopeHeader((int) segmentSize, kms, keyName, (int) keyVersion, wrapped);
    requireCanonical(block, header, source);
    return header;
  }

  /**
   * The header must be byte for byte what {@link #encode()} writes for the fields it holds: one
   * JSON object that fills {@code jsonLength}, no whitespace, no escape the writer would not use,
   * members in the writer's order, zero padding to byte 1023. Otherwise bytes that no writer
   * produced (a flipped {@code jsonLength} that takes in padding, a second object, backslash-u
   * escapes) would pass unnoticed; every header has exactly one accepted encoding.
   */
  private static void requireCanonical(byte[] block, EnvelopeHeader header, String source)
      throws IntegrityException {
    Canonical canonical;
    try {
      canonical = header.canonical();
    } catch (IllegalArgumentException e) {
      // Escapes can make the writer's form longer than the header's; no writer produced this one.
      throw bad(
          source, "header JSON is not in the writer's serialisation (" + e.getMessage() + ")");
    }
    int jsonLength = ((block[6] & 0xFF) << 8) | (block[7] & 0xFF);
    if (jsonLength != canonical.jsonLength) {
      throw bad(
          source,
          "jsonLength (offset 6) is "
              + jsonLength
              + " but the writer's serialisation of this header's JSON is "
              + canonical.jsonLength
              + " bytes: the JSON region must hold exactly one object and nothing else");
    }
    int at = Arrays.mismatch(block, 0, LENGTH, canonical.block, 0, LENGTH);
    if (at >= 0) {
      throw bad(
          source,
          "header is not in the one serialisation the writer produces: byte at offset "
              + at
              + " (in "
              + canonical.describe(at)
              + ") is "
              + printable(block[at])
              + " where the writer puts "
              + printable(canonical.block[at]));
    }
  }

  private static String printable(byte b) {
    int v = b & 0xFF;
    String hex = String.format("0x%02x", v);
    return v >= 0x20 && v < 0x7f ? hex + " '" + (char) v + "'" : hex;
  }

  private static JsonNode parseJson(byte[] block, int jsonLength, String source)
      throws IntegrityException {
    JsonNode json;
    try {
      // Strict UTF-8: a flipped high bit must not be silently replaced by U+FFFD.
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(block, 8, jsonLength));
      json = JSON.readTree(block, 8, jsonLength);
    } catch (CharacterCodingException e) {
      throw bad(source, "header JSON is not valid UTF-8");
    } catch (IOException e) {
      throw bad(source, "header JSON is malformed");
    }
    if (json == null || !json.isObject()) {
      throw bad(source, "header JSON is not an object");
    }
    return json;
  }

  private static String text(JsonNode json, String field, String source) throws IntegrityException {
    JsonNode v = json.get(field);
    if (v == null || !v.isTextual() || v.textValue().isEmpty()) {
      throw bad(source, "header field '" + field + "' is missing or not a non-empty string");
    }
    return v.textValue();
  }

  private static long integer(JsonNode json, String field, String source)
      throws IntegrityException {
    JsonNode v = json.get(field);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
      throw bad(source, "header field '" + field + "' is missing or not an integer");
    }
    return v.longValue();
  }

  private static String truncate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "…";
  }

  private static IntegrityException bad(String source, String why) {
    return new IntegrityException(source, IntegrityException.HEADER, why);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EnvelopeHeader h
        && segmentSize == h.segmentSize
        && kms.equals(h.kms)
        && keyName.equals(h.keyName)
        && keyVersion == h.keyVersion
        && Arrays.equals(wrappedKey, h.wrappedKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(segmentSize, kms, keyName, keyVersion, Arrays.hashCode(wrappedKey));
  }

  @Override
  public String toString() {
    return "EnvelopeHeader["
        + SUITE
        + ", segmentSize="
        + segmentSize
        + ", kms="
        + kms
        + ", key="
        + keyName
        + " v"
        + keyVersion
        + "]";
  }
}
