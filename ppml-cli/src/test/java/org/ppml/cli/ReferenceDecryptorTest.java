package org.ppml.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The format documented in docs/format.md is the format we write: the 30-line reference decryptor
 * in docs/examples (Python, pyca/cryptography, no PPML code) decrypts files the CLI encrypted.
 * Skipped where Python or its cryptography package is missing.
 */
class ReferenceDecryptorTest {
  @TempDir Path dir;

  private static boolean pythonWithCryptography() {
    try {
      Process p =
          new ProcessBuilder("python3", "-c", "import cryptography")
              .redirectErrorStream(true)
              .start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void thePythonReferenceDecryptsWhatTheCliWrote() throws Exception {
    assumeTrue(pythonWithCryptography(), "python3 with cryptography is not installed");
    String key = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    String kms = "local:" + dir.resolve("keys");
    String kf = dir.resolve("k.key").toString();
    assertEquals(
        0,
        Cli.run(
                "keys",
                "import",
                "--kms",
                kms,
                "--keystore-key-file",
                kf,
                "--name",
                "demo",
                "--key-hex",
                key)
            .exit());
    for (int size : new int[] {0, 12, 4039, 4040, 20_000}) {
      byte[] data = new byte[size];
      new Random(size).nextBytes(data);
      Path plain = dir.resolve("p" + size);
      Files.write(plain, data);
      Path enc = dir.resolve("e" + size);
      assertEquals(
          0,
          Cli.run(
                  "encrypt",
                  "--kms",
                  kms,
                  "--keystore-key-file",
                  kf,
                  "--key",
                  "demo",
                  "--segment-size",
                  "4096",
                  plain.toString(),
                  enc.toString())
              .exit());
      Path script =
          Path.of(System.getProperty("user.dir"))
              .getParent()
              .resolve("docs/examples/decrypt_ppml.py");
      Process p =
          new ProcessBuilder("python3", script.toString(), enc.toString(), key)
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      byte[] out = p.getInputStream().readAllBytes();
      assertEquals(0, p.waitFor(), "python exit");
      assertArrayEquals(data, out, "size " + size);
    }
  }
}
