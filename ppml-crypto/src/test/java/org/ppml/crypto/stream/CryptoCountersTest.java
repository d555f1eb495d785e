package org.ppml.crypto.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ppml.crypto.CryptoCounters;
import org.ppml.crypto.IntegrityException;

/**
 * The metrics seam counts what the streams really did: plaintext bytes each way, one authenticated
 * segment per segment, one integrity failure per rejected stream. Counts are JVM-wide, so each
 * check is a difference across the work done (tests in this JVM run one after another).
 */
class CryptoCountersTest {
  private static final int SEGMENT = 4096;

  @Test
  void bytesAndSegmentsAreCountedEachWayAndATamperedSegmentOnce() throws Exception {
    byte[] key = new byte[32];
    new Random(7).nextBytes(key);
    byte[] plaintext = new byte[3 * SEGMENT + 100];
    new Random(8).nextBytes(plaintext);
    AesGcmHkdfStreaming streaming = new AesGcmHkdfStreaming(key, SEGMENT);

    long encryptedBefore = CryptoCounters.bytesEncrypted();
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream out = streaming.newEncryptingStream(sink)) {
      out.write(plaintext);
    }
    assertEquals(plaintext.length, CryptoCounters.bytesEncrypted() - encryptedBefore);
    byte[] ciphertext = sink.toByteArray();
    long segments = streaming.layout().segmentCount(ciphertext.length);

    long decryptedBefore = CryptoCounters.bytesDecrypted();
    long segmentsBefore = CryptoCounters.segmentsAuthenticated();
    try (InputStream in =
        streaming.newDecryptingStream(new ByteArrayInputStream(ciphertext), "counted")) {
      assertArrayEquals(plaintext, in.readAllBytes());
    }
    assertEquals(plaintext.length, CryptoCounters.bytesDecrypted() - decryptedBefore);
    assertEquals(segments, CryptoCounters.segmentsAuthenticated() - segmentsBefore);

    byte[] tampered = ciphertext.clone();
    tampered[tampered.length - 20] ^= 1;
    long failuresBefore = CryptoCounters.integrityFailures();
    long segmentsBeforeTamper = CryptoCounters.segmentsAuthenticated();
    try (InputStream in =
        streaming.newDecryptingStream(new ByteArrayInputStream(tampered), "tampered")) {
      assertThrows(IntegrityException.class, in::readAllBytes);
    }
    assertEquals(1, CryptoCounters.integrityFailures() - failuresBefore);
    // Every segment but the tampered last one still authenticated.
    assertEquals(segments - 1, CryptoCounters.segmentsAuthenticated() - segmentsBeforeTamper);
  }
}
