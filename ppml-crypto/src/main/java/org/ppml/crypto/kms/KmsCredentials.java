package org.ppml.crypto.kms;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a backend may get the secrets it needs to open: a passphrase source and an optional key
 * file. The CLI supplies a prompting source; servers and tests supply environment or fixed ones.
 */
public interface KmsCredentials {
  /**
   * A passphrase for the named purpose, or empty if none can be had (no environment variable and no
   * terminal). The caller zeroes the returned array.
   */
  Optional<char[]> passphrase(String purpose, boolean confirmNew);

  /** A key file that seals a local store instead of a passphrase. */
  Optional<Path> keyFile();

  /**
   * Credentials from the environment only: {@code PPML_KEYSTORE_PASSWORD} and {@code
   * PPML_KEYSTORE_KEYFILE}.
   */
  static KmsCredentials fromEnvironment() {
    return new KmsCredentials() {
      @Override
      public Optional<char[]> passphrase(String purpose, boolean confirmNew) {
        String p = System.getenv("PPML_KEYSTORE_PASSWORD");
        return p == null || p.isEmpty() ? Optional.empty() : Optional.of(p.toCharArray());
      }

      @Override
      public Optional<Path> keyFile() {
        String f = System.getenv("PPML_KEYSTORE_KEYFILE");
        return f == null || f.isEmpty() ? Optional.empty() : Optional.of(Path.of(f));
      }
    };
  }

  /** Fixed credentials, for tests and embedded use. */
  static KmsCredentials of(char[] passphrase, Path keyFile) {
    return new KmsCredentials() {
      @Override
      public Optional<char[]> passphrase(String purpose, boolean confirmNew) {
        return Optional.ofNullable(passphrase).map(char[]::clone);
      }

      @Override
      public Optional<Path> keyFile() {
        return Optional.ofNullable(keyFile);
      }
    };
  }
}
