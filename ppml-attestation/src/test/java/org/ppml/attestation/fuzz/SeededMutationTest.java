package org.ppml.attestation.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ppml.attestation.TestVectors;
import org.ppml.attestation.collateral.CollateralBundle;
import org.ppml.attestation.collateral.CollateralFormatException;
import org.ppml.attestation.dcap.QuoteVerifier;
import org.ppml.attestation.dcap.VerificationResult;
import org.ppml.attestation.quote.Quote;
import org.ppml.attestation.quote.QuoteFormatException;

/**
 * Seeded-random mutation of the real vectors (which cannot be checked in as Jazzer seeds): byte
 * flips, overwritten length fields, truncations and splices. Only typed errors may come out, and a
 * mutated quote or bundle must never verify unless the mutation left the signed bytes intact.
 */
class SeededMutationTest {
  private static final long SEED = 0x5eed_d_ca9L;

  private static byte[] mutate(byte[] in, SplittableRandom rnd) {
    byte[] b = in.clone();
    switch (rnd.nextInt(5)) {
      case 0 -> {
        int n = 1 + rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
          b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
        }
      }
      case 1 -> {
        // Overwrite 2 or 4 bytes with an extreme value: hits length fields often.
        int at = rnd.nextInt(b.length - 4);
        int[] extremes = {0, 0xff, 0x7f, 0x80};
        for (int i = 0; i < (rnd.nextBoolean() ? 2 : 4); i++) {
          b[at + i] = (byte) extremes[rnd.nextInt(extremes.length)];
        }
      }
      case 2 -> b = Arrays.copyOf(b, rnd.nextInt(b.length));
      case 3 -> {
        int from = rnd.nextInt(b.length);
        int to = rnd.nextInt(b.length);
        int len = Math.min(rnd.nextInt(64), Math.min(b.length - from, b.length - to));
        System.arraycopy(in, from, b, to, len);
      }
      default -> b = Arrays.copyOf(b, b.length + rnd.nextInt(64));
    }
    return b;
  }

  @Test
  void mutatedQuotesOnlyFailWithTypedErrors() throws Exception {
    SplittableRandom rnd = new SplittableRandom(SEED);
    for (TestVectors v : TestVectors.values()) {
      byte[] original = v.quoteBytes();
      CollateralBundle bundle = CollateralBundle.parse(v.collateralBytes());
      QuoteVerifier verifier = QuoteVerifier.intel();
      for (int i = 0; i < 2000; i++) {
        byte[] m = mutate(original, rnd);
        try {
          Quote.parse(m);
        } catch (QuoteFormatException expected) {
          // typed
        }
        if (i % 40 == 0) {
          VerificationResult r = verifier.evaluate(m, bundle, v.at);
          if (!r.verified()) {
            assertNotNull(r.error());
          } else {
            // Only mutations outside the signed and certified bytes may still verify.
            assertArrayEquals(Quote.parse(original).signedRegion(), Quote.parse(m).signedRegion());
          }
        }
      }
    }
  }

  @Test
  void mutatedBundlesOnlyFailWithTypedErrors() throws Exception {
    SplittableRandom rnd = new SplittableRandom(SEED + 1);
    for (TestVectors v : TestVectors.values()) {
      byte[] original = v.collateralBytes();
      for (int i = 0; i < 1000; i++) {
        byte[] m = mutate(original, rnd);
        CollateralBundle bundle;
        try {
          bundle = CollateralBundle.parse(m);
        } catch (CollateralFormatException expected) {
          continue;
        }
        if (i % 25 == 0) {
          VerificationResult r = QuoteVerifier.intel().evaluate(v.quoteBytes(), bundle, v.at);
          if (!r.verified()) {
            assertNotNull(r.error());
          }
        }
      }
      // Splicing the JSON text of one bundle's fields into another's.
      String text = new String(original, StandardCharsets.UTF_8);
      for (int i = 0; i < 500; i++) {
        int cut = rnd.nextInt(text.length());
        try {
          CollateralBundle.parse(text.substring(0, cut) + text.substring(rnd.nextInt(cut + 1)));
        } catch (CollateralFormatException expected) {
          // typed
        }
      }
    }
  }
}
