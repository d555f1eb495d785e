package org.ppml.crypto.kms.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.crypto.kms.DataKey;
import org.ppml.crypto.kms.PrimaryKeyInfo;
import org.ppml.crypto.testing.TestKeyStores;

/**
 * Kills a real child JVM (SIGKILL) while it rewrites the key store, many times, and checks that the
 * store always opens with every version it had acknowledged before, and that a data key wrapped
 * before the crashes still unwraps.
 */
class KeyStoreCrashTest {
  @TempDir Path dir;

  @Test
  void aKillMidWriteLeavesAReadableStore() throws Exception {
    LocalKms kms = TestKeyStores.withKeys(dir, "churn");
    DataKey before = kms.generateDataKey("churn");
    String java = ProcessHandle.current().info().command().orElse("java");
    Random random = new Random(99);
    int lastVersion = 1;
    for (int round = 0; round < 6; round++) {
      Path log = dir.resolve("child-" + round + ".log");
      Process child =
          new ProcessBuilder(
                  java,
                  "-cp",
                  System.getProperty("java.class.path"),
                  KeyStoreChurn.class.getName(),
                  dir.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!(Files.exists(log) && Files.readString(log).startsWith("ready"))) {
        assertTrue(
            child.isAlive() && System.nanoTime() < deadline,
            "child did not start: " + Files.readString(log));
        Thread.sleep(20);
      }
      // Let the child get going (JIT, provider self-test), then kill it at a random moment.
      LocalKms observer = LocalKms.open(dir.resolve("keys"), TestKeyStores.keyFileCredentials(dir));
      while (observer.listKeys().get(0).primaryVersion() <= lastVersion) {
        assertTrue(
            child.isAlive() && System.nanoTime() < deadline,
            "child made no progress: " + Files.readString(log));
        Thread.sleep(5);
      }
      Thread.sleep(random.nextInt(200));
      child.destroyForcibly();
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      String childOutput = Files.readString(log);

      LocalKms reopened = LocalKms.open(dir.resolve("keys"), TestKeyStores.keyFileCredentials(dir));
      List<PrimaryKeyInfo> keys = reopened.listKeys();
      assertEquals(1, keys.size());
      int version = keys.get(0).primaryVersion();
      assertTrue(
          version >= lastVersion, "versions never go backwards: " + version + " < " + lastVersion);
      assertTrue(version > 1, "the child made no progress; it said: " + childOutput);
      lastVersion = version;
      assertEquals(32, reopened.unwrap(before.wrapped()).keyBytes().length);
    }
  }
}
