package org.ppml.kms.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.Destroyable;
import org.ppml.crypto.SecretBytes;
import org.ppml.crypto.fs.AtomicFile;
import org.ppml.crypto.fs.BoundedFile;
import org.ppml.crypto.fs.FileTooLargeException;
import org.ppml.crypto.seal.AesGcmSeal;

/**
 * The key that seals everything secret in the database: primary key material, KBS resources and the
 * token signing key. Sealing is AES-256-GCM with a random nonce and an AAD naming the row, so a
 * sealed value copied into another row does not open.
 *
 * <p>It comes from the environment variable {@value #ENVIRONMENT} (base64 of 32 bytes) or from a
 * key file that must not be readable by group or others; a missing file is created (0600) on first
 * start.
 */
public final class MasterKey implements Destroyable {
  /** Environment variable that may hold the master key, base64. */
  public static final String ENVIRONMENT = "PPML_KMS_MASTER_KEY";

  /** Default key file name in the data directory. */
  public static final String FILE_NAME = "master.key";

  private static final int LENGTH = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretBytes key;
  private final String source;

  // Adopts key: every caller passes an array it read or made for this key alone.
  private MasterKey(byte[] key, String source) {
    this.key = SecretBytes.adopt(key);
    this.source = source;
  }

  /**
   * The master key from {@code environmentValue} if it is non-empty, else from {@code file}, which
   * is created when it does not exist.
   */
  public static MasterKey load(String environmentValue, Path file) throws StoreException {
    if (environmentValue != null && !environmentValue.isBlank()) {
      byte[] k;
      try {
        k = Base64.getDecoder().decode(environmentValue.trim());
      } catch (IllegalArgumentException e) {
        throw new StoreException(ENVIRONMENT + " is not base64");
      }
      if (k.length != LENGTH) {
        Arrays.fill(k, (byte) 0);
        throw new StoreException(ENVIRONMENT + " must hold " + LENGTH + " bytes");
      }
      return new MasterKey(k, "environment " + ENVIRONMENT);
    }
    try {
      if (!Files.exists(file)) {
        byte[] k = new byte[LENGTH];
        RANDOM.nextBytes(k);
        AtomicFile.writeSecret(file, k);
        return new MasterKey(k, "file " + file);
      }
      checkPrivate(file);
      byte[] k;
      try {
        k = BoundedFile.read(file, LENGTH);
      } catch (FileTooLargeException e) {
        k = new byte[0];
      }
      if (k.length != LENGTH) {
        Arrays.fill(k, (byte) 0);
        throw new StoreException(
            "master key file " + file + " must hold exactly " + LENGTH + " bytes");
      }
      return new MasterKey(k, "file " + file);
    } catch (IOException e) {
      throw new StoreException(
          "cannot read or create master key file " + file + ": " + e.getMessage(), e);
    }
  }

  private static void checkPrivate(Path file) throws IOException, StoreException {
    if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
    for (PosixFilePermission open :
        Set.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE)) {
      if (p.contains(open)) {
        throw new StoreException(
            "master key file " + file + " is readable or writable by others; chmod 600 it");
      }
    }
  }

  /** Seals {@code plaintext} for the row named by {@code context}: nonce ‖ ciphertext ‖ tag. */
  public byte[] seal(byte[] plaintext, String context) throws StoreException {
    try {
      return AesGcmSeal.seal(secret(), plaintext, context.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new StoreException("sealing failed: " + e.getClass().getSimpleName());
    }
  }

  /**
   * Opens a value sealed for {@code context}; fails if it was sealed elsewhere or under another
   * key.
   */
  public byte[] open(byte[] sealed, String context) throws StoreException {
    if (sealed == null || sealed.length < AesGcmSeal.OVERHEAD) {
      throw new StoreException("sealed value for " + context + " is truncated");
    }
    try {
      return AesGcmSeal.open(secret(), sealed, context.getBytes(StandardCharsets.UTF_8));
    } catch (AEADBadTagException e) {
      throw new StoreException(
          "sealed value for "
              + context
              + " does not open: wrong master key or a tampered database");
    } catch (GeneralSecurityException e) {
      throw new StoreException("unsealing failed: " + e.getClass().getSimpleName());
    }
  }

  private SecretKeySpec secret() {
    return key.aesKey();
  }

  /** Where the key came from, for the start-up banner. Never the key. */
  public String source() {
    return source;
  }

  @Override
  public void destroy() {
    key.destroy();
  }

  @Override
  public boolean isDestroyed() {
    return key.isDestroyed();
  }

  @Override
  public String toString() {
    return "MasterKey[" + source + ", material redacted]";
  }
}
