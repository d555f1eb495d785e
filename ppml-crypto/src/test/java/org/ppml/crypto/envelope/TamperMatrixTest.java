package org.ppml.crypto.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ppml.crypto.IntegrityException;
import org.ppml.crypto.kms.local.LocalKms;
import org.ppml.crypto.provider.CryptoProvider;
import org.ppml.crypto.provider.CryptoProviders;
import org.ppml.crypto.provider.LeakyGcmProvider;
import org.ppml.crypto.stream.CiphertextSource;
import org.ppml.crypto.stream.SeekableDecryptingChannel;
import org.ppml.crypto.testing.TestKeyStores;

/**
 * Every kind of tampering with a PPML file fails with an {@link IntegrityException} that names the
 * file and the segment, through every read path, and no byte of a bad segment is ever returned: the
 * sequential stream, the seekable channel read in small pieces (through its segment buffer), and
 * the seekable channel read into one buffer that holds the whole plaintext, where each segment
 * decrypts straight into the caller's buffer (the zero-copy path), with each provider: ACCP, the
 * JDK, and {@link LeakyGcmProvider}, which writes plaintext into the output before it checks the
 * tag.
 */
class TamperMatrixTest {
  private static final int SEGMENT = 4096;
  private static final int HEADER = EnvelopeHeader.LENGTH;
  private static final int BODY_HEADER = 40;

  @TempDir static Path dir;
  private static LocalKms kms;
  private static byte[] plaintext;
  private static byte[] file;
  private static List<CryptoProvider> providers;

  @BeforeAll
  static void encryptSample() throws IOException {
    kms = TestKeyStores.withKeys(dir, "alpha", "beta");
    plaintext = new byte[3 * SEGMENT + 1000];
    new Random(1).nextBytes(plaintext);
    // No zero bytes: a wiped (zeroed) byte of the zero-copy buffer can then never pass for
    // plaintext.
    for (int i = 0; i < plaintext.length; i++) {
      if (plaintext[i] == 0) {
        plaintext[i] = 1;
      }
    }
    providers = new ArrayList<>();
    CryptoProviders.accp().ifPresent(providers::add);
    providers.add(CryptoProviders.jdk());
    // One that leaves unverified plaintext in the output on a bad tag: the reader must still not.
    providers.add(LeakyGcmProvider.cryptoProvider());
    file = encrypt("alpha", plaintext);
  }

  private static byte[] encrypt(String key, byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PpmlEncryptor enc = PpmlEncryptor.create(kms, key, SEGMENT);
        OutputStream s = enc.encrypt(out)) {
      s.write(data);
    }
    return out.toByteArray();
  }

  /** What a reader delivered before it failed, and how it failed. */
  private record Outcome(byte[] delivered, IntegrityException failure) {}

  private static Outcome readSeekable(byte[] bytes) {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    PpmlDecryptor decryptor = new PpmlDecryptor(new KmsKeyResolver(kms));
    try (SeekableDecryptingChannel ch =
        decryptor.open(CiphertextSource.of(ByteBuffer.wrap(bytes)), "f.csv")) {
      ByteBuffer buf = ByteBuffer.allocate(1000);
      while (ch.read(buf) >= 0) {
        got.write(buf.array(), 0, buf.position());
        buf.clear();
      }
      return new Outcome(got.toByteArray(), null);
    } catch (IntegrityException e) {
      return new Outcome(got.toByteArray(), e);
    } catch (IOException e) {
      throw new AssertionError("untyped failure: " + e, e);
    }
  }

  private static Outcome readSequential(byte[] bytes) {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    PpmlDecryptor decryptor = new PpmlDecryptor(new KmsKeyResolver(kms));
    try (InputStream in = decryptor.open(new ByteArrayInputStream(bytes), "f.csv")) {
      byte[] buf = new byte[777];
      int n;
      while ((n = in.read(buf)) >= 0) {
        got.write(buf, 0, n);
      }
      return new Outcome(got.toByteArray(), null);
    } catch (IntegrityException e) {
      return new Outcome(got.toByteArray(), e);
    } catch (IOException e) {
      throw new AssertionError("untyped failure: " + e, e);
    }
  }

  /**
   * The zero-copy path: one heap buffer as large as the whole plaintext, so every segment decrypts
   * straight into it. The buffer starts out holding the complement of the plaintext, so after a
   * failure any byte past the delivered prefix that equals the plaintext was written by the reader.
   *
   * @return what was delivered (the buffer up to its position) and the whole buffer
   */
  private static ZeroCopyOutcome readZeroCopy(byte[] bytes, CryptoProvider provider) {
    PpmlDecryptor decryptor = new PpmlDecryptor(new KmsKeyResolver(kms), provider);
    ByteBuffer dst = ByteBuffer.allocate(0);
    try (SeekableDecryptingChannel ch =
        decryptor.open(CiphertextSource.of(ByteBuffer.wrap(bytes)), "f.csv")) {
      dst = ByteBuffer.allocate((int) ch.size());
      for (int i = 0; i < dst.capacity(); i++) {
        dst.put(i, (byte) ~(i < plaintext.length ? plaintext[i] : 0));
      }
      while (dst.hasRemaining() && ch.read(dst) >= 0) {}
      return new ZeroCopyOutcome(
          new Outcome(Arrays.copyOf(dst.array(), dst.position()), null), dst.array());
    } catch (IntegrityException e) {
      return new ZeroCopyOutcome(
          new Outcome(Arrays.copyOf(dst.array(), dst.position()), e), dst.array());
    } catch (IOException e) {
      throw new AssertionError("untyped failure: " + e, e);
    }
  }

  private record ZeroCopyOutcome(Outcome outcome, byte[] buffer) {}

  /** Plaintext bytes before segment {@code s}. */
  private static int plaintextBefore(long s) {
    return s <= 0 ? 0 : (SEGMENT - 56) + (int) (s - 1) * (SEGMENT - 16);
  }

  private static void assertRejected(byte[] bytes, String what) {
    for (Outcome o : new Outcome[] {readSeekable(bytes), readSequential(bytes)}) {
      assertFailedCleanly(o, what);
    }
    for (CryptoProvider provider : providers) {
      String how = what + ", zero-copy read with " + provider.description();
      ZeroCopyOutcome z = readZeroCopy(bytes, provider);
      assertFailedCleanly(z.outcome(), how);
      // The caller's buffer past the verified prefix holds no plaintext of the failed segment
      // (nor of any later one): the provider's unverified output was wiped.
      int delivered = z.outcome().delivered().length;
      for (int i = delivered; i < Math.min(z.buffer().length, plaintext.length); i++) {
        if (z.buffer()[i] == plaintext[i]) {
          fail(
              how
                  + ": unverified plaintext at offset "
                  + i
                  + " reached the caller's buffer (verified prefix "
                  + delivered
                  + ", failed segment "
                  + z.outcome().failure().segment()
                  + ")");
        }
      }
    }
  }

  private static void assertFailedCleanly(Outcome o, String what) {
    if (o.failure() == null) {
      fail(what + ": tampered file was accepted");
    }
    assertEquals("f.csv", o.failure().source(), what);
    assertTrue(o.failure().getMessage().contains("f.csv"), what);
    // Only whole, verified segments before the failing one may have been delivered.
    int limit = plaintextBefore(o.failure().segment());
    assertTrue(
        o.delivered().length <= limit, what + ": delivered bytes from an unverified segment");
    assertArrayEquals(Arrays.copyOf(plaintext, o.delivered().length), o.delivered(), what);
  }

  @Test
  void untouchedFileReadsBack() {
    assertArrayEquals(plaintext, readSeekable(file).delivered());
    assertArrayEquals(plaintext, readSequential(file).delivered());
    for (CryptoProvider provider : providers) {
      assertArrayEquals(
          plaintext, readZeroCopy(file, provider).outcome().delivered(), provider.toString());
    }
  }

  @Test
  void aFlippedBitAnywhereIsRejectedAtTheRightPlace() {
    for (int i = 0; i < file.length; i++) {
      byte[] t = file.clone();
      t[i] ^= (byte) (1 << (i % 8));
      assertRejected(t, "bit flip at " + i);
      if (i >= HEADER) {
        long body = i - HEADER;
        long expected = body < BODY_HEADER ? 0 : body / SEGMENT;
        assertEquals(expected, readSeekable(t).failure().segment(), "flip at " + i);
        assertEquals(expected, readSequential(t).failure().segment(), "flip at " + i);
      }
    }
  }

  @Test
  void truncationAtAnyOffsetIsRejected() {
    for (int len = 0; len < file.length; len++) {
      assertRejected(Arrays.copyOf(file, len), "truncated to " + len);
    }
  }

  @Test
  void appendedBytesAreRejected() {
    for (int extra : new int[] {1, 15, 16, 17, SEGMENT - 1, SEGMENT, SEGMENT + 1}) {
      assertRejected(Arrays.copyOf(file, file.length + extra), "appended " + extra);
    }
  }

  private static byte[] segment(byte[] f, int s) {
    int start = HEADER + s * SEGMENT;
    return Arrays.copyOfRange(f, start, Math.min(f.length, start + SEGMENT));
  }

  private static byte[] assemble(byte[] f, int... segments) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(f, 0, HEADER);
    for (int s : segments) {
      out.writeBytes(segment(f, s));
    }
    return out.toByteArray();
  }

  @Test
  void reorderedDroppedAndDuplicatedSegmentsAreRejected() {
    assertArrayEquals(plaintext, readSeekable(assemble(file, 0, 1, 2, 3)).delivered());
    assertRejected(assemble(file, 0, 2, 1, 3), "segments 1 and 2 swapped");
    assertRejected(assemble(file, 0, 1, 3, 2), "last segment moved");
    assertRejected(assemble(file, 0, 2, 3), "segment 1 dropped");
    assertRejected(assemble(file, 0, 1, 2), "last segment dropped");
    assertRejected(assemble(file, 0, 1, 1, 2, 3), "segment 1 duplicated");
    assertRejected(assemble(file, 0, 1, 2, 3, 3), "last segment duplicated");
    assertEquals(1, readSeekable(assemble(file, 0, 2, 1, 3)).failure().segment());
  }

  @Test
  void aHeaderFromAnotherFileIsRejected() throws IOException {
    byte[] other = encrypt("alpha", plaintext);
    byte[] swapped = file.clone();
    System.arraycopy(other, 0, swapped, 0, HEADER);
    assertRejected(swapped, "header swapped");
    assertEquals(0, readSeekable(swapped).failure().segment());
  }

  @Test
  void aHeaderNamingAnotherKeyOrVersionIsRejected() throws IOException {
    EnvelopeHeader h = EnvelopeHeader.decode(Arrays.copyOf(file, HEADER), "f");
    for (EnvelopeHeader edited :
        new EnvelopeHeader[] {
          new EnvelopeHeader(h.segmentSize(), h.kms(), "beta", 1, h.wrappedKey()),
          new EnvelopeHeader(h.segmentSize(), h.kms(), "alpha", 2, h.wrappedKey()),
          new EnvelopeHeader(8192, h.kms(), "alpha", 1, h.wrappedKey()),
        }) {
      byte[] t = file.clone();
      System.arraycopy(edited.encode(), 0, t, 0, HEADER);
      assertRejected(t, "edited header " + edited);
    }
  }

  @Test
  void aHeaderNamingAnotherKmsIsRejected() throws IOException {
    EnvelopeHeader h = EnvelopeHeader.decode(Arrays.copyOf(file, HEADER), "f");
    byte[] t = file.clone();
    System.arraycopy(
        new EnvelopeHeader(
                h.segmentSize(), "ppml+https://attacker:8443", "alpha", 1, h.wrappedKey())
            .encode(),
        0,
        t,
        0,
        HEADER);
    IntegrityException e = readSeekable(t).failure();
    assertTrue(e.getMessage().contains("ppml+https://attacker:8443"), e.getMessage());
  }

  @Test
  void unknownVersionSuiteAndOversizedJsonAreRejected() {
    byte[] version = file.clone();
    version[4] = 9;
    assertRejected(version, "version 9");
    String json =
        new String(file, 8, ((file[6] & 0xFF) << 8) | (file[7] & 0xFF), StandardCharsets.UTF_8);
    byte[] suite = file.clone();
    byte[] replaced =
        json.replace("AES256_GCM_HKDF_SHA256", "AES256_GCM_HKDF_SHA512")
            .getBytes(StandardCharsets.UTF_8);
    System.arraycopy(replaced, 0, suite, 8, replaced.length);
    assertRejected(suite, "suite");
    byte[] oversized = file.clone();
    oversized[6] = (byte) 0x7F;
    oversized[7] = (byte) 0xFF;
    assertRejected(oversized, "oversized JSON length");
  }

  @Test
  void theWrongKeyStoreIsRejected(@TempDir Path other) throws IOException {
    LocalKms stranger = TestKeyStores.withKeys(other, "alpha");
    PpmlDecryptor decryptor = new PpmlDecryptor(new KmsKeyResolver(stranger));
    IntegrityException e =
        assertThrows(
            IntegrityException.class,
            () -> decryptor.open(CiphertextSource.of(ByteBuffer.wrap(file)), "f.csv"));
    assertEquals(IntegrityException.HEADER, e.segment());
  }
}
