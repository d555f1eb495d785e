package org.ppml.crypto.kms.local;

import java.nio.file.Path;
import org.ppml.crypto.kms.KmsCredentials;

/**
 * Child-process main for {@link KeyStoreCrashTest}: rotates a key forever, so that a kill lands at
 * arbitrary points of the store write.
 */
public final class KeyStoreChurn {
  private KeyStoreChurn() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    LocalKms kms =
        LocalKms.open(dir.resolve("keys"), KmsCredentials.of(null, dir.resolve("test.key")));
    System.out.println("ready");
    System.out.flush();
    while (true) {
      kms.rotateKey("churn");
    }
  }
}
