package org.ppml.crypto.testing;

import java.io.IOException;
import java.nio.file.Path;
import org.ppml.crypto.kms.KmsCredentials;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.local.LocalKms;

/**
 * Real local key stores for tests, sealed by a key file so that tests skip scrypt. Shared with
 * other modules through ppml-crypto's test jar.
 */
public final class TestKeyStores {
  private TestKeyStores() {}

  /** Credentials that seal with {@code dir/test.key} (created on first use). */
  public static KmsCredentials keyFileCredentials(Path dir) {
    return KmsCredentials.of(null, dir.resolve("test.key"));
  }

  /** A key store in {@code dir/keys} with one key per name. */
  public static LocalKms withKeys(Path dir, String... names) throws IOException {
    LocalKms kms = LocalKms.open(dir.resolve("keys"), keyFileCredentials(dir));
    for (String name : names) {
      try {
        kms.createKey(name);
      } catch (KmsException e) {
        if (e.reason() != KmsException.Reason.KEY_EXISTS) {
          throw e;
        }
      }
    }
    return kms;
  }
}
