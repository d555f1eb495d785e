package org.ppml.crypto.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * The sealed-format vectors in {@code org/ppml/crypto/vectors}, written by {@code make_vectors.py}
 * there with Python's {@code cryptography} package from the documented formats: a local store
 * sealed by a key file (keys {@code sales} v1 and v2, explicit key {@code kf}), a data key wrapped
 * by {@code sales} v2, and a Parquet key wrapped by {@code PpmlKmsClient} under {@code sales}.
 * Shared with other modules through ppml-crypto's test jar.
 */
public final class SealVectors {
  private static final String ROOT = "/org/ppml/crypto/vectors/";

  private SealVectors() {}

  /** A field of {@code vectors.json}, as text. */
  public static String text(String field) {
    JsonNode v = vectors().get(field);
    if (v == null) {
      throw new IllegalArgumentException("no vector " + field);
    }
    return v.asText();
  }

  /** A hex field of {@code vectors.json}, as bytes. */
  public static byte[] bytes(String field) {
    return HexFormat.of().parseHex(text(field));
  }

  /**
   * Copies the store to {@code dir/keys} and its key file to {@code dir/keystore.key}.
   *
   * @return the store directory, for {@code local:} URIs
   */
  public static Path copyStore(Path dir) throws IOException {
    Path keys = Files.createDirectories(dir.resolve("keys"));
    copy("store/keystore.json", keys.resolve("keystore.json"));
    copy("keystore.key", keyFile(dir));
    return keys;
  }

  /** The key file that seals the copied store. */
  public static Path keyFile(Path dir) {
    return dir.resolve("keystore.key");
  }

  private static void copy(String resource, Path to) throws IOException {
    try (InputStream in = open(resource)) {
      Files.write(to, in.readAllBytes());
    }
  }

  private static JsonNode vectors() {
    try (InputStream in = open("vectors.json")) {
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream open(String resource) throws IOException {
    InputStream in = SealVectors.class.getResourceAsStream(ROOT + resource);
    if (in == null) {
      throw new IOException("missing test resource " + ROOT + resource);
    }
    return in;
  }
}
