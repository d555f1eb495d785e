package org.ppml.crypto.kms.local;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.Destroyable;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.ppml.crypto.SecretBytes;

/**
 * How a store is sealed (scrypt over a passphrase, or HKDF over a key file) and the sealing key
 * derived from it. The description is the AAD of the sealed payload, so editing the parameters in
 * the file makes it fail to open rather than weakening it.
 */
final class KeyStoreSeal implements Destroyable {
  static final String SCRYPT = "scrypt";
  static final String KEY_FILE = "keyfile";

  /** scrypt N = 2^15, r = 8, p = 1: about 32 MiB and 0.1 s, OWASP's recommended minimum. */
  static final int DEFAULT_N = 1 << 15;

  static final int DEFAULT_R = 8;
  static final int DEFAULT_P = 1;
  // Bounds on parameters read from a file, so a hostile store cannot make opening it take hours
  // or exhaust the heap: scrypt needs 128 * n * r bytes and n * r * p units of work, both capped
  // at 16 times the default (512 MiB, a few seconds) before anything in the file is authenticated.
  private static final int MAX_N = 1 << 20;
  private static final int MAX_R = 32;
  private static final int MAX_P = 16;
  private static final long MAX_N_R = 16L * DEFAULT_N * DEFAULT_R;
  private static final long MAX_N_R_P = 16L * DEFAULT_N * DEFAULT_R * DEFAULT_P;

  private final String type;
  private final byte[] salt;
  private final int n;
  private final int r;
  private final int p;
  private final SecretBytes key;

  // Adopts key: each caller derives a fresh array for it alone.
  private KeyStoreSeal(String type, byte[] salt, int n, int r, int p, byte[] key) {
    this.type = type;
    this.salt = salt;
    this.n = n;
    this.r = r;
    this.p = p;
    this.key = SecretBytes.adopt(key);
  }

  static KeyStoreSeal fromPassphrase(char[] passphrase, byte[] salt, int n, int r, int p) {
    if (n < 2
        || n > MAX_N
        || Integer.bitCount(n) != 1
        || r < 1
        || r > MAX_R
        || p < 1
        || p > MAX_P
        || (long) n * r > MAX_N_R
        || (long) n * r * p > MAX_N_R_P) {
      throw new IllegalArgumentException(
          "scrypt parameters out of range (n=" + n + ", r=" + r + ", p=" + p + ")");
    }
    ByteBuffer utf8 = StandardCharsets.UTF_8.encode(CharBuffer.wrap(passphrase));
    byte[] pw = new byte[utf8.remaining()];
    utf8.get(pw);
    if (utf8.hasArray()) {
      Arrays.fill(utf8.array(), (byte) 0);
    }
    try {
      return new KeyStoreSeal(
          SCRYPT, salt.clone(), n, r, p, SCrypt.generate(pw, salt, n, r, p, 32));
    } finally {
      Arrays.fill(pw, (byte) 0);
    }
  }

  static KeyStoreSeal fromKeyFile(byte[] keyFileBytes, byte[] salt) {
    byte[] key = new byte[32];
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(
        new HKDFParameters(
            keyFileBytes, salt, "ppml-keystore key file".getBytes(StandardCharsets.UTF_8)));
    hkdf.generateBytes(key, 0, key.length);
    return new KeyStoreSeal(KEY_FILE, salt.clone(), 0, 0, 0, key);
  }

  String type() {
    return type;
  }

  byte[] salt() {
    return salt.clone();
  }

  int n() {
    return n;
  }

  int r() {
    return r;
  }

  int p() {
    return p;
  }

  /**
   * @throws IllegalStateException once destroyed, rather than sealing with a zeroed key
   */
  SecretKeySpec key() {
    return key.aesKey();
  }

  /** The associated data that binds the seal parameters to the payload. */
  byte[] associatedData() {
    String salt64 = Base64.getEncoder().encodeToString(salt);
    String d =
        "ppml-keystore/1|"
            + type
            + "|"
            + salt64
            + (SCRYPT.equals(type) ? "|" + n + "|" + r + "|" + p : "");
    return d.getBytes(StandardCharsets.UTF_8);
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
    return "KeyStoreSeal[" + type + "]";
  }
}
