package org.ppml.crypto.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ppml.crypto.kms.DataKey;
import org.ppml.crypto.kms.local.LocalKms;
import org.ppml.crypto.stream.CiphertextSource;
import org.ppml.crypto.stream.SeekableDecryptingChannel;
import org.ppml.crypto.testing.TestKeyStores;

/**
 * Whole PPML files whose body Tink wrote: a real local KMS generates the data key, its wrapped form
 * goes into a v1 header we build, Tink's {@code AesGcmHkdfStreaming} encrypts the body with the
 * data key as ikm and empty associated data, and our readers decrypt the concatenation with nothing
 * but the KMS. This is docs/format.md's promise that the body is Tink's format, end to end.
 */
class TinkFileInteropTest {
  @TempDir Path dir;

  /** Header + Tink body, exactly as another tool holding the data key could produce a PPML file. */
  private static byte[] tinkFile(LocalKms kms, String keyName, int segmentSize, byte[] plaintext)
      throws IOException, GeneralSecurityException {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    try (DataKey key = kms.generateDataKey(keyName)) {
      file.write(EnvelopeHeader.of(segmentSize, kms.reference(), key.wrapped()).encode());
      byte[] ikm = key.keyBytes();
      try {
        com.google.crypto.tink.subtle.AesGcmHkdfStreaming tink =
            new com.google.crypto.tink.subtle.AesGcmHkdfStreaming(
                ikm, "HmacSha256", 32, segmentSize, 0);
        try (OutputStream body = tink.newEncryptingStream(file, new byte[0])) {
          body.write(plaintext);
        }
      } finally {
        Arrays.fill(ikm, (byte) 0);
      }
    }
    return file.toByteArray();
  }

  @ParameterizedTest(name = "{0} bytes, segment {1}")
  @CsvSource({"0, 4096", "1, 4096", "4039, 4096", "4041, 4096", "50000, 4096", "700001, 262144"})
  void aFileWithATinkBodyDecryptsWithOurReaders(int size, int segmentSize) throws Exception {
    LocalKms kms = TestKeyStores.withKeys(dir, "owner");
    byte[] plaintext = new byte[size];
    new Random(size).nextBytes(plaintext);
    byte[] file = tinkFile(kms, "owner", segmentSize, plaintext);
    assertEquals(
        PpmlFileLayout.fileLength(size, segmentSize), file.length, "Tink's body length is ours");
    assertEquals(size, PpmlFileLayout.plaintextLength(file.length, segmentSize));

    // A reader that has only the key store, as on another machine: reopened from disk.
    LocalKms reader = LocalKms.open(dir.resolve("keys"), TestKeyStores.keyFileCredentials(dir));
    PpmlDecryptor decryptor = new PpmlDecryptor(new KmsKeyResolver(reader));

    try (InputStream in = decryptor.open(new ByteArrayInputStream(file), "tink.ppml")) {
      assertArrayEquals(plaintext, in.readAllBytes(), "sequential");
    }

    Path path = dir.resolve("tink.ppml");
    Files.write(path, file);
    try (SeekableDecryptingChannel ch =
        decryptor.open(CiphertextSource.of(FileChannel.open(path)), "tink.ppml")) {
      assertEquals(size, ch.size());
      ByteBuffer all = ByteBuffer.allocate(size);
      while (all.hasRemaining() && ch.read(all) >= 0) {}
      assertArrayEquals(plaintext, all.array(), "seekable, whole file");
      // Random access: seeks backwards and across segment boundaries.
      Random random = new Random(~size);
      for (int i = 0; i < 20 && size > 0; i++) {
        int at = random.nextInt(size);
        int length = Math.min(size - at, 1 + random.nextInt(2 * segmentSize));
        ByteBuffer part = ByteBuffer.allocate(length);
        ch.position(at);
        while (part.hasRemaining() && ch.read(part) >= 0) {}
        assertArrayEquals(
            Arrays.copyOfRange(plaintext, at, at + length), part.array(), "seek to " + at);
      }
    }
  }
}
