package org.ppml.cli;

import java.io.Console;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.ppml.crypto.kms.Kms;
import org.ppml.crypto.kms.KmsCredentials;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.KmsRegistry;
import picocli.CommandLine.Option;

/**
 * {@code --kms URI} and how to unlock it: a local store's passphrase comes from {@code
 * PPML_KEYSTORE_PASSWORD} or a terminal prompt; {@code --keystore-key-file} (or {@code
 * PPML_KEYSTORE_KEYFILE}) seals it with a key file instead.
 */
public final class KmsOptions {
  @Option(
      names = "--kms",
      required = true,
      paramLabel = "URI",
      description = "KMS URI, e.g. local:DIR.")
  String uri;

  @Option(
      names = "--keystore-key-file",
      paramLabel = "FILE",
      description =
          "Seal/unseal a local key store with this key file (created if missing) instead of a passphrase.")
  Path keyFile;

  /** The key file named by {@code --keystore-key-file}, if any. */
  public java.util.Optional<Path> keyFile() {
    return java.util.Optional.ofNullable(keyFile);
  }

  public String uri() {
    return uri;
  }

  /** Opens the KMS; the caller closes it. */
  public Kms open() throws KmsException {
    return KmsRegistry.open(uri, credentials());
  }

  KmsCredentials credentials() {
    KmsCredentials env = KmsCredentials.fromEnvironment();
    return new KmsCredentials() {
      @Override
      public Optional<char[]> passphrase(String purpose, boolean confirmNew) {
        Optional<char[]> fromEnv = env.passphrase(purpose, confirmNew);
        if (fromEnv.isPresent()) {
          return fromEnv;
        }
        Console console = System.console();
        if (console == null) {
          return Optional.empty();
        }
        char[] first = console.readPassword("%s: ", purpose);
        if (first == null) {
          return Optional.empty();
        }
        if (confirmNew) {
          char[] again = console.readPassword("repeat the %s: ", purpose);
          boolean same = again != null && sameInConstantTime(first, again);
          if (again != null) {
            Arrays.fill(again, '\0');
          }
          if (!same) {
            Arrays.fill(first, '\0');
            throw new ErrorReporter.UsageError("the passphrases did not match");
          }
        }
        return Optional.of(first);
      }

      @Override
      public Optional<Path> keyFile() {
        return keyFile != null ? Optional.of(keyFile) : env.keyFile();
      }
    };
  }

  /** Compares passphrases without an early exit, as every secret comparison here is made. */
  private static boolean sameInConstantTime(char[] a, char[] b) {
    int diff = a.length ^ b.length;
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      diff |= (i < a.length ? a[i] : 0) ^ (i < b.length ? b[i] : 0);
    }
    return diff == 0;
  }
}
