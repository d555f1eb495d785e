package org.ppml.crypto.kms.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import javax.crypto.AEADBadTagException;
import org.ppml.crypto.fs.AtomicFile;
import org.ppml.crypto.fs.BoundedFile;
import org.ppml.crypto.fs.FileTooLargeException;
import org.ppml.crypto.json.StrictJsonMapper;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.seal.AesGcmSeal;

/**
 * Reads and writes the sealed store file (format in this package's documentation). Every length and
 * count read from the file is bounded before anything is allocated from it.
 */
final class KeyStoreFile {
  static final String FORMAT = "ppml-keystore";
  static final int VERSION = 1;
  private static final int MAX_FILE_BYTES = 16 << 20;
  private static final int MAX_KEYS = 100_000;
  private static final int MAX_VERSIONS = 10_000;
  private static final ObjectMapper JSON =
      StrictJsonMapper.create(StrictJsonMapper.DEFAULT_MAX_DEPTH, MAX_FILE_BYTES);

  /** Seal parameters as read from a file, before any secret is applied. */
  record SealParameters(String type, byte[] salt, int n, int r, int p) {}

  /** The decrypted content of a store. */
  record Contents(String storeId, List<StoredKey> keys) {
    Contents {
      keys = List.copyOf(keys);
    }

    StoredKey find(String name) {
      for (StoredKey k : keys) {
        if (k.name().equals(name)) {
          return k;
        }
      }
      return null;
    }

    Contents with(StoredKey key) {
      List<StoredKey> next = new ArrayList<>();
      boolean replaced = false;
      for (StoredKey k : keys) {
        if (k.name().equals(key.name())) {
          next.add(key);
          replaced = true;
        } else {
          next.add(k);
        }
      }
      if (!replaced) {
        next.add(key);
      }
      return new Contents(storeId, next);
    }
  }

  private KeyStoreFile() {}

  /** Reads only the seal parameters, so the caller can derive the sealing key once. */
  static SealParameters readSealParameters(Path file) throws KmsException, IOException {
    return sealParameters(file, parse(file));
  }

  /**
   * Opens and decrypts the store.
   *
   * @param sealFor derives the sealing key for the parameters found in the file
   */
  static Contents read(Path file, Function<SealParameters, KeyStoreSeal> sealFor)
      throws KmsException, IOException {
    JsonNode root = parse(file);
    SealParameters params = sealParameters(file, root);
    KeyStoreSeal seal = sealFor.apply(params);
    byte[] nonce = base64(file, root, "nonce", 12, 12);
    byte[] payload = base64(file, root, "payload", 16, MAX_FILE_BYTES);
    byte[] sealed = Arrays.copyOf(nonce, nonce.length + payload.length);
    System.arraycopy(payload, 0, sealed, nonce.length, payload.length);
    byte[] plain;
    try {
      plain = AesGcmSeal.open(seal.key(), sealed, seal.associatedData());
    } catch (AEADBadTagException e) {
      throw new KmsException(
          KmsException.Reason.STORE_LOCKED,
          "cannot open key store "
              + file
              + ": wrong passphrase or key file, or the file was modified");
    } catch (GeneralSecurityException e) {
      throw new KmsException(
          KmsException.Reason.UNAVAILABLE,
          "cannot decrypt key store " + file + ": " + e.getClass().getSimpleName());
    }
    try {
      return contents(file, JSON.readTree(plain));
    } catch (JsonProcessingException e) {
      // Not e's message: Jackson quotes the source around the error, here decrypted key material.
      throw corrupt(file, "sealed content is not JSON");
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  /** Seals and atomically replaces the store file, mode 0600. */
  static void write(Path file, KeyStoreSeal seal, Contents contents) throws IOException {
    ObjectNode inner = JSON.createObjectNode();
    inner.put("storeId", contents.storeId());
    ArrayNode keys = inner.putArray("keys");
    Base64.Encoder b64 = Base64.getEncoder();
    for (StoredKey k : contents.keys()) {
      ObjectNode key = keys.addObject();
      key.put("name", k.name());
      key.put("enabled", k.enabled());
      key.put("created", k.created().toString());
      ArrayNode versions = key.putArray("versions");
      for (StoredKey.Version v : k.versions()) {
        versions
            .addObject()
            .put("version", v.version())
            .put("material", b64.encodeToString(v.material()))
            .put("created", v.created().toString());
      }
    }
    writeSealed(file, seal, JSON.writeValueAsBytes(inner));
  }

  /** Seals {@code plain} (zeroed afterwards) and atomically replaces the store file, mode 0600. */
  static void writeSealed(Path file, KeyStoreSeal seal, byte[] plain) throws IOException {
    Base64.Encoder b64 = Base64.getEncoder();
    byte[] sealed;
    try {
      sealed = AesGcmSeal.seal(seal.key(), plain, seal.associatedData());
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot seal key store: " + e.getClass().getSimpleName(), e);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
    // The file keeps the nonce apart from the ciphertext and tag (format in package-info).
    byte[] nonce = Arrays.copyOf(sealed, AesGcmSeal.NONCE_LENGTH);
    byte[] payload = Arrays.copyOfRange(sealed, AesGcmSeal.NONCE_LENGTH, sealed.length);
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    ObjectNode s = root.putObject("seal");
    s.put("type", seal.type());
    s.put("salt", b64.encodeToString(seal.salt()));
    if (KeyStoreSeal.SCRYPT.equals(seal.type())) {
      s.put("n", seal.n()).put("r", seal.r()).put("p", seal.p());
    }
    root.put("nonce", b64.encodeToString(nonce));
    root.put("payload", b64.encodeToString(payload));
    AtomicFile.writeSecret(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
  }

  private static JsonNode parse(Path file) throws KmsException, IOException {
    byte[] bytes;
    try {
      bytes = BoundedFile.read(file, MAX_FILE_BYTES);
    } catch (NoSuchFileException e) {
      throw new KmsException(KmsException.Reason.KEY_NOT_FOUND, "no key store at " + file);
    } catch (FileTooLargeException e) {
      throw corrupt(file, "file is larger than the " + MAX_FILE_BYTES + "-byte limit");
    }
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw corrupt(file, "not JSON (" + e.getOriginalMessage() + ")");
    }
    if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText(null))) {
      throw corrupt(file, "not a PPML key store (missing \"format\":\"" + FORMAT + "\")");
    }
    if (root.path("version").asInt(-1) != VERSION) {
      throw corrupt(file, "unsupported key store version " + root.path("version"));
    }
    return root;
  }

  private static SealParameters sealParameters(Path file, JsonNode root) throws KmsException {
    JsonNode seal = root.path("seal");
    String type = seal.path("type").asText("");
    byte[] salt = base64(file, seal, "salt", 16, 64);
    switch (type) {
      case KeyStoreSeal.SCRYPT:
        return new SealParameters(
            type,
            salt,
            intField(file, seal, "n"),
            intField(file, seal, "r"),
            intField(file, seal, "p"));
      case KeyStoreSeal.KEY_FILE:
        return new SealParameters(type, salt, 0, 0, 0);
      default:
        throw corrupt(file, "unknown seal type '" + type + "'");
    }
  }

  private static Contents contents(Path file, JsonNode inner) throws KmsException {
    String storeId = inner.path("storeId").asText("");
    JsonNode keys = inner.path("keys");
    if (storeId.isEmpty() || !keys.isArray() || keys.size() > MAX_KEYS) {
      throw corrupt(file, "sealed content is malformed");
    }
    List<StoredKey> out = new ArrayList<>();
    for (JsonNode k : keys) {
      JsonNode versions = k.path("versions");
      if (!versions.isArray() || versions.isEmpty() || versions.size() > MAX_VERSIONS) {
        throw corrupt(file, "key entry without versions");
      }
      List<StoredKey.Version> vs = new ArrayList<>();
      for (JsonNode v : versions) {
        vs.add(
            new StoredKey.Version(
                v.path("version").asInt(-1),
                base64(file, v, "material", 16, 32),
                instant(file, v)));
      }
      out.add(
          new StoredKey(
              k.path("name").asText(""), k.path("enabled").asBoolean(false), instant(file, k), vs));
    }
    return new Contents(storeId, out);
  }

  private static Instant instant(Path file, JsonNode node) throws KmsException {
    try {
      return Instant.parse(node.path("created").asText(""));
    } catch (DateTimeParseException e) {
      throw corrupt(file, "bad timestamp");
    }
  }

  private static int intField(Path file, JsonNode node, String field) throws KmsException {
    JsonNode v = node.get(field);
    if (v == null || !v.canConvertToInt()) {
      throw corrupt(file, "seal field '" + field + "' missing or not an integer");
    }
    return v.intValue();
  }

  private static byte[] base64(Path file, JsonNode node, String field, int min, long max)
      throws KmsException {
    String text = node.path(field).asText("");
    if (text.length() > max * 4 / 3 + 4) {
      throw corrupt(file, "field '" + field + "' too long");
    }
    byte[] b;
    try {
      b = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw corrupt(file, "field '" + field + "' is not base64");
    }
    if (b.length < min || b.length > max) {
      throw corrupt(file, "field '" + field + "' has length " + b.length);
    }
    return b;
  }

  private static KmsException corrupt(Path file, String why) {
    return new KmsException(
        KmsException.Reason.STORE_LOCKED, "key store " + file + " is corrupt: " + why);
  }
}
