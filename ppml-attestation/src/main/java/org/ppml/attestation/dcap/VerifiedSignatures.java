package org.ppml.attestation.dcap;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A bounded memory of signatures that have already verified, keyed by SHA-256 over the exact (key,
 * signed bytes, signature) triple.
 *
 * <p>Most of what a quote carries repeats across quotes from one platform (PCK chain, QE report)
 * and collateral repeats across all of them, so remembering positive results makes repeated
 * verification cost about one ECDSA verification. Only successes are stored, and a hit requires a
 * SHA-256 collision to differ from the verified triple, so the answer is the one a fresh
 * verification would give. Time-dependent checks (validity, freshness) are never cached.
 */
final class VerifiedSignatures {
  private static final int MAX_ENTRIES = 4096;
  private static final Map<ByteBuffer, Scope> VERIFIED = new ConcurrentHashMap<>();

  /**
   * Where a remembered signature came from: collateral and CA certificates, which every quote
   * shares, or one platform's quote (its PCK certificate and QE report). Only benchmarks tell the
   * two apart, to measure a platform never seen before under collateral already checked.
   */
  enum Scope {
    COLLATERAL,
    PLATFORM
  }

  private VerifiedSignatures() {}

  static ByteBuffer key(String kind, byte[]... parts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(kind.getBytes(StandardCharsets.US_ASCII));
      for (byte[] p : parts) {
        // Length-prefix each part so different splits of the same bytes never collide.
        sha.update(ByteBuffer.allocate(4).putInt(p.length).array());
        sha.update(p);
      }
      return ByteBuffer.wrap(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  static boolean known(ByteBuffer key) {
    return VERIFIED.containsKey(key);
  }

  static void forgetAll() {
    VERIFIED.clear();
  }

  static void forgetPlatforms() {
    VERIFIED.values().removeIf(s -> s == Scope.PLATFORM);
  }

  static void remember(ByteBuffer key, Scope scope) {
    if (VERIFIED.size() >= MAX_ENTRIES) {
      VERIFIED.clear();
    }
    VERIFIED.put(key, scope);
  }
}
