package org.ppml.crypto.envelope;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.ppml.crypto.IntegrityException;

/**
 * Jazzer fuzz target for the header decoder: untrusted bytes may only ever produce a header or an
 * {@link IntegrityException}. Under {@code mvn test} it replays its seed inputs (regression mode);
 * with {@code JAZZER_FUZZ=1} it fuzzes.
 */
class EnvelopeHeaderFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void decodeNeverThrowsAnythingElse(byte[] input) {
    try {
      EnvelopeHeader.decode(input, "fuzz");
    } catch (IntegrityException expected) {
      // the only allowed failure
    }
  }
}
