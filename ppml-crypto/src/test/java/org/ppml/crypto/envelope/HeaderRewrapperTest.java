package org.ppml.crypto.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.crypto.IntegrityException;
import org.ppml.crypto.kms.local.LocalKms;
import org.ppml.crypto.testing.TestKeyStores;

class HeaderRewrapperTest {
  @TempDir Path dir;

  private Path encrypt(LocalKms kms, byte[] plaintext) throws IOException {
    Path file = dir.resolve("data.ppml");
    try (PpmlEncryptor enc = PpmlEncryptor.create(kms, "k", 4096);
        OutputStream out = enc.encrypt(Files.newOutputStream(file))) {
      out.write(plaintext);
    }
    return file;
  }

  private static byte[] decrypt(LocalKms kms, Path file) throws IOException {
    try (InputStream in =
        new PpmlDecryptor(new KmsKeyResolver(kms))
            .open(Files.newInputStream(file), file.toString())) {
      return in.readAllBytes();
    }
  }

  @Test
  void rewrapRewritesOnlyTheHeader() throws IOException {
    LocalKms kms = TestKeyStores.withKeys(dir, "k");
    byte[] plaintext = new byte[20_000];
    new Random(2).nextBytes(plaintext);
    Path file = encrypt(kms, plaintext);
    byte[] before = Files.readAllBytes(file);
    kms.rotateKey("k");

    HeaderRewrapper.Result r = new HeaderRewrapper(kms, kms).rewrap(file, "k");
    assertEquals(1, r.oldVersion());
    assertEquals(2, r.newVersion());
    byte[] after = Files.readAllBytes(file);
    assertEquals(before.length, after.length);
    assertArrayEquals(
        Arrays.copyOfRange(before, EnvelopeHeader.LENGTH, before.length),
        Arrays.copyOfRange(after, EnvelopeHeader.LENGTH, after.length),
        "body untouched");
    assertEquals(2, EnvelopeHeader.decode(Arrays.copyOf(after, 1024), "f").keyVersion());
    assertArrayEquals(plaintext, decrypt(kms, file));
    assertFalse(Files.exists(HeaderRewrapper.journalOf(file)));

    assertFalse(new HeaderRewrapper(kms, kms).rewrap(file, "k").changed(), "second run is a no-op");
  }

  @Test
  void anInterruptedRewrapIsCompletedByTheNextRun() throws IOException {
    LocalKms kms = TestKeyStores.withKeys(dir, "k");
    byte[] plaintext = "hello, rewrap".getBytes();
    Path file = encrypt(kms, plaintext);
    kms.rotateKey("k");
    EnvelopeHeader old = EnvelopeHeader.decode(Arrays.copyOf(Files.readAllBytes(file), 1024), "f");
    byte[] newHeader = old.withWrappedKey(kms.rewrap(old.wrapped(), "k")).encode();

    // The state a crash between journal and header write leaves: journal durable, header torn.
    Files.write(HeaderRewrapper.journalOf(file), newHeader);
    byte[] torn = Files.readAllBytes(file);
    System.arraycopy(newHeader, 0, torn, 0, 512);
    Arrays.fill(torn, 512, 1024, (byte) 0x77);
    Files.write(file, torn);
    assertThrows(IntegrityException.class, () -> decrypt(kms, file));

    HeaderRewrapper.Result r = new HeaderRewrapper(kms, kms).rewrap(file, "k");
    assertTrue(r.recovered());
    assertEquals(2, r.newVersion());
    assertArrayEquals(plaintext, decrypt(kms, file));
    assertFalse(Files.exists(HeaderRewrapper.journalOf(file)));
  }

  @Test
  void aTamperedHeaderIsNotRewrapped() throws IOException {
    LocalKms kms = TestKeyStores.withKeys(dir, "k");
    Path file = encrypt(kms, new byte[10]);
    kms.rotateKey("k");
    byte[] bytes = Files.readAllBytes(file);
    EnvelopeHeader h = EnvelopeHeader.decode(Arrays.copyOf(bytes, 1024), "f");
    byte[] wrapped = h.wrappedKey();
    wrapped[20] ^= 1;
    System.arraycopy(
        new EnvelopeHeader(4096, h.kms(), "k", 1, wrapped).encode(), 0, bytes, 0, 1024);
    Files.write(file, bytes);
    IntegrityException e =
        assertThrows(
            IntegrityException.class, () -> new HeaderRewrapper(kms, kms).rewrap(file, "k"));
    assertEquals(IntegrityException.HEADER, e.segment());
    assertArrayEquals(bytes, Files.readAllBytes(file), "file untouched");
  }
}
