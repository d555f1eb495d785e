package org.ppml.crypto.kms.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.ppml.crypto.fs.AtomicFile;
import org.ppml.crypto.fs.BoundedFile;
import org.ppml.crypto.fs.FileTooLargeException;
import org.ppml.crypto.kms.DataKey;
import org.ppml.crypto.kms.ExplicitKeySource;
import org.ppml.crypto.kms.KeyImport;
import org.ppml.crypto.kms.KeyNames;
import org.ppml.crypto.kms.KeyRotation;
import org.ppml.crypto.kms.Kms;
import org.ppml.crypto.kms.KmsCredentials;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.KmsException.Reason;
import org.ppml.crypto.kms.PrimaryKeyInfo;
import org.ppml.crypto.kms.WrappedKey;

/**
 * The {@code local:<dir>} backend: primary keys in {@code <dir>/keystore.json}.
 *
 * <p>The sealing key is derived once per instance (scrypt is deliberately slow). Reads use an
 * in-memory copy that is refreshed when the file changes; every change re-reads the file under
 * {@code <dir>/keystore.lock}, applies itself and replaces the file atomically.
 *
 * <p>A key imported with 16 or 24 bytes is an <em>explicit key</em>: another tool's key that a file
 * names by id (Parquet explicit keys). It is released by {@link #explicitKey} only and never wraps
 * data keys, since the wrap is AES-256-GCM (docs/format.md); only 32-byte keys are primary keys.
 */
public final class LocalKms implements Kms, KeyRotation, KeyImport, ExplicitKeySource {
  /** Scheme of this backend's URIs. */
  public static final String SCHEME = "local";

  static final String STORE_FILE = "keystore.json";
  private static final String LOCK_FILE = "keystore.lock";
  private static final int MAX_KEY_FILE_BYTES = 4096;
  private static final int PRIMARY_KEY_LENGTH = 32;
  private static final int MIN_KEY_FILE_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;
  private final Path file;
  private final KmsCredentials credentials;
  private KeyStoreSeal seal;
  private KeyStoreFile.Contents cached;
  // Every write replaces the file by rename, so its identity (inode), time and size together tell
  // whether another process changed it since we read it; a timestamp alone is too coarse.
  private List<Object> cachedStamp;

  private LocalKms(Path dir, KmsCredentials credentials) {
    this.dir = dir;
    this.file = dir.resolve(STORE_FILE);
    this.credentials = credentials;
  }

  /** A store in directory {@code dir}; nothing is read or created until first use. */
  public static LocalKms open(Path dir, KmsCredentials credentials) {
    return new LocalKms(dir.toAbsolutePath().normalize(), credentials);
  }

  /** The path of the store file. */
  public Path storeFile() {
    return file;
  }

  @Override
  public String reference() {
    return SCHEME + ":" + dir;
  }

  @Override
  public synchronized DataKey generateDataKey(String keyName) throws KmsException {
    StoredKey.Version primary = wrappingVersion(usableKey(keyName).primary(), keyName);
    byte[] dataKey = new byte[DataKey.LENGTH];
    RANDOM.nextBytes(dataKey);
    try {
      byte[] wrapped = LocalKeyWrap.wrap(primary.material(), keyName, primary.version(), dataKey);
      return new DataKey(dataKey, new WrappedKey(keyName, primary.version(), wrapped));
    } finally {
      Arrays.fill(dataKey, (byte) 0);
    }
  }

  @Override
  public WrappedKey generateWrappedDataKey(String keyName) throws KmsException {
    try (DataKey key = generateDataKey(keyName)) {
      return key.wrapped();
    }
  }

  @Override
  public synchronized DataKey unwrap(WrappedKey wrapped) throws KmsException {
    StoredKey key = usableKey(wrapped.keyName());
    StoredKey.Version version = key.version(wrapped.keyVersion());
    if (version == null) {
      throw new KmsException(
          Reason.KEY_NOT_FOUND,
          "key '" + wrapped.keyName() + "' has no version " + wrapped.keyVersion() + " in " + file);
    }
    wrappingVersion(version, wrapped.keyName());
    byte[] plain =
        LocalKeyWrap.unwrap(
            version.material(), wrapped.keyName(), wrapped.keyVersion(), wrapped.wrapped());
    try {
      return new DataKey(plain, wrapped);
    } catch (IllegalArgumentException e) {
      throw new KmsException(Reason.UNWRAP_FAILED, "unwrapped data key has the wrong length");
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  @Override
  public synchronized WrappedKey rewrap(WrappedKey wrapped, String keyName) throws KmsException {
    try (DataKey key = unwrap(wrapped)) {
      StoredKey.Version primary = wrappingVersion(usableKey(keyName).primary(), keyName);
      byte[] plain = key.keyBytes();
      try {
        return new WrappedKey(
            keyName,
            primary.version(),
            LocalKeyWrap.wrap(primary.material(), keyName, primary.version(), plain));
      } finally {
        Arrays.fill(plain, (byte) 0);
      }
    }
  }

  @Override
  public PrimaryKeyInfo createKey(String keyName) throws KmsException {
    byte[] material = new byte[32];
    RANDOM.nextBytes(material);
    try {
      return importKey(keyName, material);
    } finally {
      Arrays.fill(material, (byte) 0);
    }
  }

  @Override
  public synchronized PrimaryKeyInfo importKey(String keyName, byte[] material)
      throws KmsException {
    KeyNames.check(keyName);
    int length = material == null ? 0 : material.length;
    if (length != PRIMARY_KEY_LENGTH && length != 16 && length != 24) {
      throw new KmsException(
          Reason.INVALID_ARGUMENT,
          "a primary key is 32 bytes (AES-256) and an explicit key 16, 24 or 32; got " + length);
    }
    Instant now = now();
    StoredKey created =
        new StoredKey(keyName, true, now, List.of(new StoredKey.Version(1, material.clone(), now)));
    return info(
        mutate(
            contents -> {
              if (contents.find(keyName) != null) {
                throw new KmsException(
                    Reason.KEY_EXISTS, "key '" + keyName + "' already exists in " + file);
              }
              return contents.with(created);
            },
            keyName));
  }

  @Override
  public synchronized List<PrimaryKeyInfo> listKeys() throws KmsException {
    if (!Files.exists(file)) {
      return List.of();
    }
    List<PrimaryKeyInfo> out = new ArrayList<>();
    for (StoredKey k : load().keys()) {
      out.add(info(k));
    }
    return out;
  }

  @Override
  public synchronized PrimaryKeyInfo rotateKey(String keyName) throws KmsException {
    byte[] material = new byte[32];
    RANDOM.nextBytes(material);
    return info(
        mutate(
            contents -> {
              StoredKey k = existing(contents, keyName);
              if (!k.enabled()) {
                throw new KmsException(Reason.KEY_DISABLED, "key '" + keyName + "' is disabled");
              }
              if (k.primary().material().length != PRIMARY_KEY_LENGTH) {
                throw new KmsException(
                    Reason.INVALID_ARGUMENT,
                    "key '"
                        + keyName
                        + "' is an explicit key that files name"
                        + " by id; a new key gets a new id (import it under another name) instead of a new version");
              }
              return contents.with(k.withNewVersion(material, now()));
            },
            keyName));
  }

  @Override
  public synchronized void disableKey(String keyName) throws KmsException {
    mutate(contents -> contents.with(existing(contents, keyName).disabled()), keyName);
  }

  @Override
  public synchronized void close() {
    if (seal != null) {
      seal.destroy();
      seal = null;
    }
    cached = null;
  }

  @Override
  public String toString() {
    return "LocalKms[" + file + "]";
  }

  // --- store access -------------------------------------------------------------------------

  private interface Change {
    KeyStoreFile.Contents apply(KeyStoreFile.Contents contents) throws KmsException;
  }

  private StoredKey mutate(Change change, String keyName) throws KmsException {
    try {
      Files.createDirectories(dir);
      try (FileChannel lockChannel =
              FileChannel.open(
                  dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = lockChannel.lock()) {
        KeyStoreFile.Contents current =
            Files.exists(file)
                ? readFresh()
                : new KeyStoreFile.Contents(UUID.randomUUID().toString(), List.of());
        if (seal == null) {
          seal = newSeal();
        }
        KeyStoreFile.Contents next = change.apply(current);
        KeyStoreFile.write(file, seal, next);
        cached = next;
        cachedStamp = stamp();
        return next.find(keyName);
      }
    } catch (KmsException e) {
      throw e;
    } catch (IOException e) {
      throw new KmsException(
          Reason.UNAVAILABLE, "cannot update key store " + file + ": " + e.getMessage(), e);
    }
  }

  private KeyStoreFile.Contents load() throws KmsException {
    try {
      List<Object> stamp = stamp();
      if (cached == null || !stamp.equals(cachedStamp)) {
        cached = readFresh();
        cachedStamp = stamp;
      }
      return cached;
    } catch (NoSuchFileException e) {
      throw new KmsException(
          Reason.KEY_NOT_FOUND, "no key store at " + file + " (create a key first)");
    } catch (KmsException e) {
      throw e;
    } catch (IOException e) {
      throw new KmsException(
          Reason.UNAVAILABLE, "cannot read key store " + file + ": " + e.getMessage(), e);
    }
  }

  private List<Object> stamp() throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    return Arrays.asList(a.fileKey(), a.lastModifiedTime(), a.size());
  }

  private KeyStoreFile.Contents readFresh() throws KmsException, IOException {
    try {
      return KeyStoreFile.read(
          file,
          params -> {
            if (seal == null
                || !Arrays.equals(seal.salt(), params.salt())
                || !seal.type().equals(params.type())) {
              seal = deriveSeal(params);
            }
            return seal;
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } catch (SealUnavailable e) {
      throw e.exception;
    }
  }

  /** Carries a checked KMS failure out of the seal-derivation callback. */
  private static final class SealUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient KmsException exception;

    SealUnavailable(KmsException exception) {
      super(exception.getMessage(), null, false, false);
      this.exception = exception;
    }
  }

  private KeyStoreSeal deriveSeal(KeyStoreFile.SealParameters params) {
    try {
      if (KeyStoreSeal.KEY_FILE.equals(params.type())) {
        Path keyFile =
            credentials
                .keyFile()
                .orElseThrow(
                    () ->
                        new SealUnavailable(
                            new KmsException(
                                Reason.STORE_LOCKED,
                                "key store "
                                    + file
                                    + " is sealed by a key file; set PPML_KEYSTORE_KEYFILE or pass --keystore-key-file")));
        return KeyStoreSeal.fromKeyFile(readKeyFile(keyFile), params.salt());
      }
      char[] passphrase = passphrase(false);
      try {
        return KeyStoreSeal.fromPassphrase(
            passphrase, params.salt(), params.n(), params.r(), params.p());
      } catch (IllegalArgumentException e) {
        throw new SealUnavailable(
            new KmsException(
                Reason.STORE_LOCKED, "key store " + file + " is corrupt: " + e.getMessage()));
      } finally {
        Arrays.fill(passphrase, '\0');
      }
    } catch (KmsException e) {
      throw new SealUnavailable(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private KeyStoreSeal newSeal() throws KmsException, IOException {
    byte[] salt = new byte[32];
    RANDOM.nextBytes(salt);
    Optional<Path> keyFile = credentials.keyFile();
    if (keyFile.isPresent()) {
      if (!Files.exists(keyFile.get())) {
        byte[] fresh = new byte[32];
        RANDOM.nextBytes(fresh);
        AtomicFile.writeSecret(keyFile.get(), fresh);
        Arrays.fill(fresh, (byte) 0);
      }
      return KeyStoreSeal.fromKeyFile(readKeyFile(keyFile.get()), salt);
    }
    char[] passphrase = passphrase(true);
    try {
      return KeyStoreSeal.fromPassphrase(
          passphrase, salt, KeyStoreSeal.DEFAULT_N, KeyStoreSeal.DEFAULT_R, KeyStoreSeal.DEFAULT_P);
    } finally {
      Arrays.fill(passphrase, '\0');
    }
  }

  private char[] passphrase(boolean confirmNew) throws KmsException {
    char[] p =
        credentials
            .passphrase("passphrase for key store " + file, confirmNew)
            .orElseThrow(
                () ->
                    new KmsException(
                        Reason.STORE_LOCKED,
                        "key store "
                            + file
                            + " needs a passphrase: set PPML_KEYSTORE_PASSWORD or run on a terminal"));
    if (p.length == 0) {
      throw new KmsException(Reason.STORE_LOCKED, "empty passphrase for key store " + file);
    }
    return p;
  }

  static byte[] readKeyFile(Path keyFile) throws KmsException, IOException {
    byte[] bytes;
    try {
      bytes = BoundedFile.read(keyFile, MAX_KEY_FILE_BYTES);
    } catch (NoSuchFileException e) {
      throw new KmsException(Reason.STORE_LOCKED, "key file " + keyFile + " does not exist");
    } catch (FileTooLargeException e) {
      throw keyFileSize(keyFile, "more than " + MAX_KEY_FILE_BYTES);
    }
    if (bytes.length < MIN_KEY_FILE_BYTES) {
      Arrays.fill(bytes, (byte) 0);
      throw keyFileSize(keyFile, Integer.toString(bytes.length));
    }
    return bytes;
  }

  private static KmsException keyFileSize(Path keyFile, String has) {
    return new KmsException(
        Reason.STORE_LOCKED,
        "key file "
            + keyFile
            + " must hold "
            + MIN_KEY_FILE_BYTES
            + " to "
            + MAX_KEY_FILE_BYTES
            + " bytes, has "
            + has);
  }

  /**
   * The newest version of enabled key {@code keyId}: the local store is where primary keys may
   * leave the KMS (docs/architecture.md), and an explicit key is only useful in plaintext.
   */
  @Override
  public synchronized byte[] explicitKey(String keyId) throws KmsException {
    KeyNames.check(keyId);
    return usableKey(keyId).primary().material().clone();
  }

  private static StoredKey.Version wrappingVersion(StoredKey.Version version, String keyName)
      throws KmsException {
    if (version.material().length != PRIMARY_KEY_LENGTH) {
      throw new KmsException(
          Reason.INVALID_ARGUMENT,
          "key '"
              + keyName
              + "' is a "
              + version.material().length
              + "-byte explicit key, read by id only; data keys are wrapped under 32-byte primary keys");
    }
    return version;
  }

  private StoredKey usableKey(String keyName) throws KmsException {
    StoredKey key = existing(load(), keyName);
    if (!key.enabled()) {
      throw new KmsException(Reason.KEY_DISABLED, "key '" + keyName + "' is disabled");
    }
    return key;
  }

  private StoredKey existing(KeyStoreFile.Contents contents, String keyName) throws KmsException {
    StoredKey key = contents.find(keyName);
    if (key == null) {
      throw new KmsException(Reason.KEY_NOT_FOUND, "no key named '" + keyName + "' in " + file);
    }
    return key;
  }

  private static PrimaryKeyInfo info(StoredKey k) {
    List<Integer> versions = new ArrayList<>();
    for (StoredKey.Version v : k.versions()) {
      versions.add(v.version());
    }
    return new PrimaryKeyInfo(k.name(), k.primary().version(), versions, k.enabled(), k.created());
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }
}
