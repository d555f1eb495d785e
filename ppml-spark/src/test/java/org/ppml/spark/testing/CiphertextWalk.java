package org.ppml.spark.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.ppml.crypto.envelope.EnvelopeHeader;

/**
 * Walks a table directory as an attacker with the disk would: every file must be PPML ciphertext,
 * none may start like JSON, Avro or Parquet, and no file may contain a given plaintext marker.
 * Hadoop's {@code .<name>.crc} sidecars are checksums of the ciphertext, checked to be just that
 * (Delta's own {@code <version>.crc} files are table state, and must be ciphertext).
 */
public final class CiphertextWalk {
  private static final byte[] PARQUET = {'P', 'A', 'R', '1'};
  private static final byte[] AVRO = {'O', 'b', 'j', 1};
  private static final byte[] HADOOP_CRC = {'c', 'r', 'c', 0};

  private CiphertextWalk() {}

  /**
   * Asserts the above for every regular file under {@code root}.
   *
   * @return the ciphertext files seen (not the checksums), relative to {@code root}, sorted
   */
  public static List<String> assertAllCiphertext(Path root, String plaintextMarker)
      throws IOException {
    byte[] marker = plaintextMarker.getBytes(StandardCharsets.UTF_8);
    List<String> seen = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    assertFalse(files.isEmpty(), "no files under " + root);
    for (Path f : files) {
      byte[] all = Files.readAllBytes(f);
      String name = root.relativize(f).toString();
      assertFalse(contains(all, marker), name + " contains the plaintext marker");
      String fileName = f.getFileName().toString();
      if (fileName.startsWith(".") && fileName.endsWith(".crc")) {
        assertTrue(startsWith(all, HADOOP_CRC), name + " is not a Hadoop checksum file");
        continue;
      }
      assertTrue(EnvelopeHeader.hasMagic(all), name + " is not PPML ciphertext");
      assertTrue(all.length >= EnvelopeHeader.LENGTH, name + " is shorter than a PPML header");
      assertFalse(startsWith(all, PARQUET) || endsWith(all, PARQUET), name + " is Parquet");
      assertFalse(startsWith(all, AVRO), name + " is Avro");
      assertFalse(all[0] == '{' || all[0] == '[', name + " is JSON");
      seen.add(name);
    }
    return seen;
  }

  private static boolean startsWith(byte[] all, byte[] prefix) {
    return all.length >= prefix.length
        && Arrays.equals(all, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static boolean endsWith(byte[] all, byte[] suffix) {
    return all.length >= suffix.length
        && Arrays.equals(all, all.length - suffix.length, all.length, suffix, 0, suffix.length);
  }

  private static boolean contains(byte[] all, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= all.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (all[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
